package dev.cutover.alias;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.host.SshHost;
import dev.cutover.pg.Server;

/** Where an alias points as a host sees it, and the address a server is reached at: what flipAlias writes and verify checks. */
public final class AliasLookup {
    private AliasLookup() {
    }

    /** The address {@code alias} resolves to on {@code host}: the resolver's answer for /etc/hosts, else the file's first entry; null when absent. */
    public static String resolve(Host host, String file, String alias) throws Exception {
        if (file.equals("/etc/hosts")) {
            ExecResult r = host.exec(ExecRequest.of(List.of("getent", "hosts", alias), Duration.ofSeconds(10), null, null, null));
            String[] f = r.stdout().trim().split("\\s+");
            return r.ok() && f.length > 0 ? f[0] : null;
        }
        return HostsFile.resolve(new String(host.readFile(file), StandardCharsets.UTF_8), alias);
    }

    /** The address apps should reach {@code to} at: its SSH host name, else the host of its connection. */
    public static String defaultAddress(Server to) {
        if (to.getHost() instanceof SshHost s) return s.target().host();
        return to.getConnInfo().host();
    }
}
