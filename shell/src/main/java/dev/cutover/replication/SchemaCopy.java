package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;

/**
 * Roles ({@code pg_dumpall --globals-only}, roles that exist on the target are left as they are:
 * their "already exists" is expected) and each database's schema ({@code pg_dump --schema-only},
 * with {@code --create} for databases the target lacks) into the target, with the target's own
 * (newer) client programs, run on the target's host.
 */
final class SchemaCopy {
    private final CommandContext ctx;
    private final Server source;
    private final Server target;

    SchemaCopy(CommandContext ctx, Server source, Server target) {
        this.ctx = ctx;
        this.source = source;
        this.target = target;
    }

    void roles() throws Exception {
        String log = "/tmp/cutover-globals-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log";
        String script = "set -o pipefail; " + ShellQuote.join(tool("pg_dumpall", src(null), "--globals-only"))
                + " | " + ShellQuote.join(tool("psql", dst("postgres"), "-X", "-q", "-o", "/dev/null")) + " > " + log + " 2>&1; rc=$?\n"
                + "grep ERROR " + log + " | grep -v 'already exists' >&2; bad=$?\n"
                + "rm -f " + log + "; [ $rc -eq 0 ] && [ $bad -ne 0 ]";
        run(script, "roles: pg_dumpall --globals-only from " + source.getName() + " | psql into " + target.getName()
                + " (roles that exist stay as they are)");
    }

    void schema(String db, boolean exists) throws Exception {
        List<String> dump = tool("pg_dump", src(db), "--schema-only");
        if (!exists) dump.add("--create");
        String script = "set -o pipefail; " + ShellQuote.join(dump) + " | "
                + ShellQuote.join(tool("psql", dst(exists ? db : "postgres"), "-X", "-q", "-o", "/dev/null", "-v", "ON_ERROR_STOP=1"));
        run(script, "schema of " + db + ": pg_dump --schema-only" + (exists ? "" : " --create") + " from " + source.getName()
                + " | psql into " + target.getName());
    }

    private void run(String script, String shown) throws Exception {
        Map<String, String> env = source.getConnInfo().toolEnv();
        ExecRequest req = new ExecRequest(List.of("bash", "-c", script), shown, Duration.ofHours(2), ctx::out,
                l -> ctx.out(OutputKind.ERR, l), ctx.cancellation(), env);
        ExecResult r = ctx.mutate(target.getHost().name() + "$ " + script, () -> target.getHost().exec(req));
        if (r != null && !r.ok()) {
            throw new CommandException("replicate: " + shown + " failed (exit " + r.exitCode() + "): " + r.lastLine()
                    + "; fix it, then replicate again (drop: true first removes what was made)");
        }
    }

    private List<String> src(String db) {
        var c = source.getConnInfo();
        List<String> a = new ArrayList<>(List.of("-h", c.host(), "-p", String.valueOf(c.port()), "-U", c.user()));
        if (db != null) a.addAll(List.of("-d", db));
        return a;
    }

    private List<String> dst(String db) {
        var c = target.getConnInfo();
        return List.of("-h", c.host(), "-p", String.valueOf(c.port()), "-U", c.user(), "-d", db);
    }

    private List<String> tool(String program, List<String> conn, String... args) {
        if (target.getBindir() == null) target.detectBindir(target.pgVersion());
        if (target.getBindir() == null) throw new CommandException("replicate: " + target.getName() + " has no bindir: connect it with bindir:");
        List<String> a = new ArrayList<>();
        a.add(target.getBindir() + "/" + program);
        a.addAll(conn);
        a.addAll(List.of(args));
        return a;
    }
}
