package dev.cutover.host;

/** {@code user@host[:port]} as written in {@code ssh:} options. */
public record SshTarget(String user, String host, int port) {

    public static SshTarget parse(String text) {
        String t = text.trim();
        int at = t.indexOf('@');
        if (at <= 0 || at == t.length() - 1) {
            throw new IllegalArgumentException("ssh target '" + text + "' is not user@host[:port]");
        }
        String user = t.substring(0, at);
        String hostPort = t.substring(at + 1);
        int port = 22;
        String host = hostPort;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1 && hostPort.charAt(close + 1) == ':') port = Integer.parseInt(hostPort.substring(close + 2));
        } else if (hostPort.indexOf(':') > 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':')) {
            host = hostPort.substring(0, hostPort.indexOf(':'));
            try {
                port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ssh target '" + text + "' has a bad port");
            }
        }
        return new SshTarget(user, host, port);
    }

    /** How known_hosts names it: {@code host} on port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}
