package dev.cutover.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code ssh: '...'} leads, as ssh(1) would take it: {@code [user@]name[:port]} where the name
 * may be an alias of ~/.ssh/config, whose HostName, User, Port, IdentityFile, IdentitiesOnly,
 * UserKnownHostsFile and ProxyJump (one or more hops, each looked up the same way) apply. What is
 * written wins over the configuration, which wins over OpenSSH's defaults (this OS user, port 22,
 * ~/.ssh/known_hosts).
 */
public final class SshRouter {
    private static final Pattern WRITTEN = Pattern.compile("^(?:(?<user>[^@]+)@)?(?:\\[(?<v6>[^]]+)]|(?<host>[^:@\\[\\]]+))(?::(?<port>\\d{1,5}))?$");
    private static final int MAX_HOPS = 8;
    private final SshConfig config;
    private final String localUser;

    public SshRouter(SshConfig config, String localUser) {
        this.config = config;
        this.localUser = localUser;
    }

    public SshRoute route(String written) {
        return route(written, 0);
    }

    private SshRoute route(String written, int depth) {
        if (depth > MAX_HOPS) throw new IllegalArgumentException("ssh '" + written + "': ProxyJump chains more than " + MAX_HOPS + " hops");
        Matcher m = WRITTEN.matcher(written.trim());
        if (!m.matches()) throw new IllegalArgumentException("ssh target '" + written + "' is not [user@]host[:port] or a ~/.ssh/config alias");
        String name = m.group("v6") != null ? m.group("v6") : m.group("host");
        SshConfig.Settings s = config.settingsFor(name, m.group("user"), localUser);
        String hostName = s.first("hostname") == null ? name : s.first("hostname").replace("%h", name);
        String user = m.group("user") != null ? m.group("user") : s.first("user") != null ? s.first("user") : localUser;
        int port = m.group("port") != null ? port(m.group("port"), written) : s.first("port") != null ? port(s.first("port"), "Port of " + name) : 22;
        SshTarget target = new SshTarget(user, hostName, port);
        List<Path> identities = new ArrayList<>();
        for (String f : s.all("identityfile")) {
            if (!f.equalsIgnoreCase("none")) identities.add(Path.of(expand(f, target, name)));
        }
        String knownHosts = s.first("userknownhostsfile");
        Path kh = knownHosts == null ? config.sshDir().resolve("known_hosts") : Path.of(expand(knownHosts, target, name));
        SshHop hop = new SshHop(target, identities, "yes".equalsIgnoreCase(s.first("identitiesonly")), kh);
        List<SshHop> jumps = new ArrayList<>();
        String proxyJump = s.first("proxyjump");
        if (proxyJump != null && !proxyJump.equalsIgnoreCase("none")) {
            for (String next : proxyJump.split(",")) {
                SshRoute jump = route(next.replaceFirst("^ssh://", ""), depth + 1);
                jumps.addAll(jump.jumps());
                jumps.add(jump.destination());
            }
        }
        return new SshRoute(jumps, hop);
    }

    private static int port(String text, String where) {
        int p = Integer.parseInt(text.matches("\\d{1,5}") ? text : "0");
        if (p < 1 || p > 65535) throw new IllegalArgumentException(where + ": '" + text + "' is not a port number");
        return p;
    }

    /** ssh_config's tokens in file names: ~, %d (home), %u (local user), %h (host name), %p, %r, %n (the name as written), %%. */
    private String expand(String value, SshTarget target, String written) {
        String home = config.sshDir().getParent().toString();
        String v = value.startsWith("~/") ? home + value.substring(1) : value;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '%' || i + 1 == v.length()) {
                out.append(c);
                continue;
            }
            char t = v.charAt(++i);
            switch (t) {
                case 'd' -> out.append(home);
                case 'u' -> out.append(localUser);
                case 'h' -> out.append(target.host());
                case 'p' -> out.append(target.port());
                case 'r' -> out.append(target.user());
                case 'n' -> out.append(written);
                case '%' -> out.append('%');
                default -> out.append('%').append(t);
            }
        }
        return out.toString();
    }
}
