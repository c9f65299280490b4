package dev.cutover.basics;

import java.nio.file.Path;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.host.Host;
import dev.cutover.host.LocalHost;
import dev.cutover.host.OperatorEnvironment;
import dev.cutover.pg.Server;
import dev.cutover.pg.ServerStatus;
import dev.cutover.pg.Servers;
import dev.cutover.host.SshException;
import dev.cutover.host.SshHost;
import dev.cutover.host.HostNames;
import dev.cutover.host.SudoHost;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.ConninfoResolver;
import dev.cutover.pg.PgVersion;

/**
 * {@code old = connect 'old', url: 'postgresql://...', ssh: 'postgres@host:22', pgdata:, bindir:}.
 * Probes the server and prints one status line. A server that is not running is a legitimate
 * target; a bad password, unknown or changed host key, or malformed URL is an error. The url
 * follows libpq's conventions (see {@link ConninfoResolver}): no url means the PG* environment.
 */
public final class ConnectCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("connect",
            "a server: SQL over JDBC plus its host (local or ssh); prints its status",
            "old = connect 'old', url: 'postgresql://postgres@db1:5432/postgres', ssh: 'postgres@db1', pgdata: '/srv/pg', bindir: '/usr/lib/postgresql/13/bin'",
            OptionSpec.of("url", "postgresql://user@host:port/database, or host=... port=... user=... dbname=... sslmode=..., "
            + "or service=NAME (default: PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE)"),
            OptionSpec.of("ssh", "[user@]host[:port] or a ~/.ssh/config alias of the server's machine (default: this machine)"),
            OptionSpec.of("pgdata", "the data directory"),
            OptionSpec.of("bindir", "the PostgreSQL binaries (default: detected)"),
            OptionSpec.of("sudo", "run host commands as this user via sudo (true = postgres)"),
            OptionSpec.of("password", "the password (use a secret param)"),
            OptionSpec.of("knownHosts", "known_hosts file to verify the host key (default ~/.ssh/known_hosts)"),
            OptionSpec.of("acceptNewHostKey", "record a host key seen for the first time"),
            OptionSpec.of("key", "private key file for ssh"),
            OptionSpec.of("sshTimeout", "longest wait for the ssh host to answer: connect, handshake, authentication, keep-alive "
            + "(default 15s or $CUTOVER_SSH_TIMEOUT)"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        String name = call.requireString(0, "the server's name: connect 'old', url: '...'");
        String url = call.string("url", null);
        OperatorEnvironment env = ctx.session(OperatorEnvironment.class, OperatorEnvironment::system);
        String password = call.string("password", null);
        if (password != null) ctx.addSecret(password);
        ConnInfo conn;
        try {
            conn = new ConninfoResolver(env.variables(), env.home()).resolve(url, ctx::warn);
        } catch (IllegalArgumentException e) {
            throw new CommandException("connect " + name + ": " + e.getMessage());
        }
        if (conn.password() != null) ctx.addSecret(conn.password());
        if (password != null) conn = conn.withPassword(password, "password:");
        Host host = host(ctx, call, name);
        Object sudo = call.value("sudo");
        if (sudo != null && !Boolean.FALSE.equals(sudo)) host = new SudoHost(host, Boolean.TRUE.equals(sudo) ? "postgres" : String.valueOf(sudo));

        Server server = new Server(name, conn, host, call.string("pgdata", null), call.string("bindir", null), ctx.live());
        ServerStatus status = server.probe();
        server.detectBindir(status.reachable() ? new PgVersion(status.versionNum()) : null);
        ctx.session(Servers.class, Servers::new).add(server);
        ctx.action("connect " + name + ": " + conn + " via " + host.name());
        ctx.info(server.statusLine());
        return server;
    }

    /** The server's host: this machine, or the {@code ssh:} target as ssh(1) would reach it (see {@link HostNames}). */
    private static Host host(CommandContext ctx, Invocation call, String name) {
        String ssh = call.string("ssh", null);
        if (ssh == null) return LocalHost.forPostgres();
        SshHost host;
        try {
            host = HostNames.ssh(ctx, ssh, new HostNames.Overrides(call.has("knownHosts") ? Path.of(call.string("knownHosts", null)) : null,
                    call.has("key") ? Path.of(call.string("key", null)) : null, call.flag("acceptNewHostKey", false),
                    call.has("sshTimeout") ? call.duration("sshTimeout", null) : null));
        } catch (IllegalArgumentException e) {
            throw new CommandException("connect " + name + ": " + e.getMessage());
        }
        try {
            host.check();
        } catch (SshException e) {
            throw new CommandException("connect " + name + ": " + e.getMessage());
        }
        return host;
    }
}
