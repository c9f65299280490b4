package dev.cutover.upgrade;

import dev.cutover.spi.Phases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.pg.Server;
import dev.cutover.pg.Servers;
import dev.cutover.host.ShellQuote;

/**
 * The temp-server way across versions: roles and tablespaces ({@code pg_dumpall --globals-only}),
 * then every database with {@code pg_dump -Fd -j N} and {@code pg_restore -j N}, run with the new
 * version's tools on the target's host. The old cluster keeps running and is never changed.
 */
public final class DumpRestore {
    private final CommandContext ctx;
    private final Server old;
    private final Server into;
    private final UpgradePreflight.Facts facts;
    private final String bindir;
    private final String pgdata;
    private final int port;
    private final int jobs;
    private final String name;
    private Server target;

    public DumpRestore(CommandContext ctx, Server old, Server into, UpgradePreflight.Facts facts, String bindir, String pgdata, int port,
                       int jobs, String name) {
        this.ctx = ctx;
        this.old = old;
        this.into = into;
        this.facts = facts;
        this.bindir = bindir;
        this.pgdata = pgdata;
        this.port = port;
        this.jobs = jobs;
        this.name = name;
    }

    /** Copies everything into the target (created and started when needed) and returns it. */
    public Server run(Phases phases) throws Exception {
        if (!facts.oldRunning()) throw new CommandException("upgrade by dump: " + old.getName() + " must be running (it is the dump's source)");
        Server target = into != null ? into : new Server(name, old.getConnInfo().withPort(port), old.getHost(), pgdata, bindir, ctx.live());
        this.target = target;
        Host host = target.getHost();
        if (!target.isRunning()) {
            if (!facts.targetIsCluster()) {
                phases.run("initdb", () -> NewCluster.create(ctx, host, facts.target(), pgdata, port, facts.initdb(), facts.configFromFiles(),
                        facts.hba(), old.getName()));
            }
            phases.run("start", () -> {
                target.start();
            });
        }
        String work = pgdata.replaceAll("/+$", "") + ".cutover-dump";
        // Passwords reach the tools through the environment (never a command line or the transcript).
        Map<String, String> env = old.getConnInfo().toolEnv();
        phases.run("roles and tablespaces", () -> {
            // The install user exists on both sides: "already exists" is expected, any other error is not.
            String w = ShellQuote.quote(work);
            String script = "mkdir -p " + w + " && "
                    + ShellQuote.join(tool("pg_dumpall", source(), "--globals-only", "-f", work + "/globals.sql")) + " || exit 1\n"
                    + ShellQuote.join(tool("psql", dest("postgres"), "-X", "-q", "-f", work + "/globals.sql")) + " > " + w + "/globals.log 2>&1\n"
                    + "grep -v 'already exists' " + w + "/globals.log\n"
                    + "! grep ERROR " + w + "/globals.log | grep -qv 'already exists'\n";
            exec(host, script, "pg_dumpall --globals-only from " + old.getName() + " | psql into " + target.getName(), env);
        });
        List<String> databases = old.databases();
        for (int i = 0; i < databases.size(); i++) {
            String db = databases.get(i);
            // A numbered directory: a database name may hold a slash, "..", or anything else a path must not.
            String dir = work + "/db" + (i + 1);
            phases.run("database " + db, () -> {
                boolean existing = db.equals("postgres") || db.equals("template1");
                List<String> restore = new ArrayList<>(tool("pg_restore", dest(existing ? db : "postgres"), "-j", String.valueOf(jobs)));
                // Databases of their own are created with their owner, encoding and locale; postgres and template1 exist already.
                if (!existing) restore.add("-C");
                restore.add(dir);
                String script = "rm -rf " + ShellQuote.quote(dir) + " && "
                        + ShellQuote.join(tool("pg_dump", source(db), "-Fd", "-j", String.valueOf(jobs), "-f", dir)) + " && "
                        + ShellQuote.join(restore) + "; rc=$?; rm -rf " + ShellQuote.quote(dir) + "; exit $rc";
                exec(host, script, "pg_dump -Fd -j " + jobs + " " + db + " | pg_restore -j " + jobs + (existing ? "" : " -C") + " into "
                        + target.getName(), env);
            });
        }
        if (!ctx.dryRun()) exec(host, "rm -rf " + ShellQuote.quote(work), "remove " + work, env);
        ctx.session(Servers.class, Servers::new).add(target);
        if (!ctx.dryRun()) ctx.info(target.statusLine());
        return target;
    }

    private List<String> source(String... db) {
        var c = old.getConnInfo();
        List<String> a = new ArrayList<>(List.of("-h", c.host(), "-p", String.valueOf(c.port()), "-U", c.user()));
        if (db.length > 0) a.addAll(List.of("-d", dbname(db[0])));
        return a;
    }

    private List<String> dest(String db) {
        return List.of("-h", target.getConnInfo().host(), "-p", String.valueOf(port), "-U", target.getConnInfo().user(), "-d", dbname(db));
    }

    /**
     * A database name as the tools' -d: a name with '=' (or starting with postgres://) would be read as a
     * connection string, so every name goes as one, quoted the way libpq reads it.
     */
    static String dbname(String db) {
        return "dbname='" + db.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private List<String> tool(String program, List<String> conn, String... args) {
        List<String> a = new ArrayList<>();
        a.add(bindir + "/" + program);
        // -w: a missing password fails at once instead of waiting for a prompt nobody can answer.
        a.add("-w");
        a.addAll(conn);
        a.addAll(List.of(args));
        return a;
    }

    private void exec(Host host, String script, String shown, Map<String, String> env) throws Exception {
        ExecRequest req = new ExecRequest(List.of("bash", "-c", script), shown, Duration.ofHours(24), ctx::out,
                l -> ctx.out(OutputKind.ERR, l), ctx.cancellation(), env);
        ExecResult r = ctx.mutate(host.name() + "$ " + script, () -> host.exec(req));
        if (r != null && !r.ok()) throw new CommandException("upgrade by dump: " + shown + " failed (exit " + r.exitCode() + ")");
    }
}
