package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.InitdbSettings;

/**
 * The rehearsal, before the window: pg_upgrade --check against the new cluster (a scratch one, or
 * the real one prepared now), each C library LOADed in the new version first, pg_upgrade's report
 * files kept and shown in full, and the expected outage measured when everything passed.
 */
final class PgUpgradeRehearsal extends PreflightPart {
    /** The C libraries the old cluster's functions use (read when it runs). */
    private final List<Libraries.Used> libraries;
    /** Whether the rehearsal measures the outage with a real pg_upgrade of a schema-only copy. */
    private final boolean measure;

    PgUpgradeRehearsal(PreflightPart same, List<Libraries.Used> libraries, boolean measure) {
        super(same);
        this.libraries = libraries;
        this.measure = measure;
    }

    /**
     * pg_upgrade --check against the new cluster: the real one (made now and kept, "prepared", when
     * {@code prepare}; or the operator's existing empty one), else a scratch cluster removed afterwards.
     * Before it, each C library is LOADed in that cluster (pg_upgrade's --check stops at its first
     * problem and would not get to them). pg_upgrade's report files are kept and shown in full.
     */
    void pgUpgradeCheck(UpgradePreflight.Facts facts, boolean running, boolean prepare) {
        Install target = facts.target();
        InitdbSettings initdb = facts.initdb();
        boolean exists = facts.targetIsCluster();
        boolean scratch = !exists && !prepare;
        if (!exists && prepare) {
            try {
                ctx.info("preparing the new cluster now, so the window skips initdb: " + pgdata);
                // "in progress" until it is complete: a crash half-way must not leave a cluster marked ready
                String origin = old.getName() + " (" + old.getDataDirectory() + ")";
                TargetMarker.write(ctx, old.getHost(), pgdata, TargetMarker.IN_PROGRESS);
                left.add("the new cluster " + pgdata + " (initdb and configuration done) and its marker " + TargetMarker.path(pgdata)
                        + ": the next rehearsal and the upgrade reuse them; remove both to undo");
                NewCluster.create(ctx, old.getHost(), target, pgdata, port, initdb, facts.configFromFiles(), facts.hba(), origin);
                TargetMarker.write(ctx, old.getHost(), pgdata,
                        TargetMarker.prepared(NewCluster.fingerprint(target, port, facts.configFromFiles(), facts.hba(), origin)));
            } catch (CommandException e) {
                throw e;
            } catch (Exception e) {
                throw new CommandException("upgrade: preparing " + pgdata + " failed: " + e.getMessage(), e);
            }
            if (ctx.dryRun()) return;
        }
        String cluster = scratch ? pgdata.replaceAll("/+$", "") + ".cutover-check" : pgdata;
        String reports = UpgradePreflight.reportDir(pgdata);
        int newPort = port == old.getPort() ? port + 1 : port;
        List<String> initdbArgv = new ArrayList<>(List.of(bindir + "/initdb", "-D", cluster));
        initdbArgv.addAll(initdb.initdbArgs(target.version()));
        List<String> upgrade = new ArrayList<>(List.of(bindir + "/pg_upgrade", "--check", "-b", old.getBindir(), "-B", bindir,
                "-d", old.getDataDirectory(), "-D", cluster, "-p", String.valueOf(old.getPort()), "-P", String.valueOf(newPort)));
        if (method.equals("link")) upgrade.add("--link");
        if (method.equals("clone")) upgrade.add("--clone");
        if (initdb.installUser() != null) upgrade.addAll(List.of("-U", initdb.installUser()));
        String script = "s=" + ShellQuote.quote(cluster) + "; r=" + ShellQuote.quote(reports) + "\n"
                + (scratch ? "rm -rf \"$s\"\n" + ShellQuote.join(initdbArgv) + " > /dev/null || exit 3\n" : "")
                + "rm -rf \"$r\" && mkdir -p \"$r\" || exit 4\n"
                // pg_upgrade puts its sockets into its working directory: a short private one
                + "w=$(mktemp -d /tmp/cutover-check.XXXXXX); cd \"$w\" || exit 4\n"
                + loadLibraries(newPort, initdb.installUser())
                + ShellQuote.join(upgrade) + "\nrc=$?\n"
                + "if [ -d \"$s/pg_upgrade_output.d\" ]; then cp -a \"$s/pg_upgrade_output.d/.\" \"$r/\" && rm -rf \"$s/pg_upgrade_output.d\"; fi\n"
                // pg_upgrade before 15 wrote its lists into the working directory
                + "find \"$w\" -maxdepth 1 -type f -exec mv {} \"$r/\" \\;\n"
                + "find \"$r\" -name '*.txt' -print0 | sort -z | while IFS= read -r -d '' f; do echo \"cutover:file $f\"; sed 's/^/cutover:line /' \"$f\"; done\n"
                + "cd /; rm -rf \"$w\"" + (scratch ? " \"$s\"" : "") + "\n"
                + "if [ $rc = 0 ] && [ $loadfail = 0 ]; then rm -rf \"$r\"; else echo \"cutover:kept $r\"; fi\n"
                + "exit $rc\n";
        ctx.action(old.getHost().name() + "$ " + ShellQuote.join(upgrade) + (scratch ? "  (on a scratch cluster " + cluster + ", removed after)" : ""));
        RehearsalOutput out = new RehearsalOutput(ctx);
        ExecResult r = exec(old.getHost(), script, Duration.ofMinutes(30), out, "during pg_upgrade --check");
        if (out.kept() != null) left.add("pg_upgrade's report and logs in " + out.kept());
        if (r.exitCode() == 4) {
            report.add(Check.fail("pg_upgrade --check", "could not create " + reports + " for its report (or a working directory in /tmp)",
                    "let postgres write next to the new data directory"));
            return;
        }
        if (!libraries.isEmpty()) {
            report.add(out.loadStartFailed() != null
                    ? Check.fail("C libraries load", "could not start the new cluster " + cluster + " to load them: " + out.loadStartFailed(),
                    "fix what its log says (" + reports + "/load-libraries.log), then rehearse again")
                    : proven(Libraries.loaded(libraries, Libraries.parseLoad(out.loads(), libraries), target.version().majorText(),
                    (scratch ? "a scratch " : "the new ") + target.version().majorText() + " cluster")));
        }
        if (r.ok()) {
            report.add(Check.ok("pg_upgrade --check", "clusters are compatible" + (method.equals("link") ? " for --link" : "")
                    + (running ? " (checked live)" : "")));
            if (measure && report.passed()) {
                Check outage = report.add(OutageRehearsal.measure(ctx, old, facts, bindir, pgdata, method, facts.cores()));
                if (outage.status() != Check.Status.OK) left.add("the scratch clusters of the measurement in " + OutageRehearsal.scratchDir(pgdata));
            }
            return;
        }
        String why = r.exitCode() == 3 ? "initdb of the scratch cluster failed" : whyPgUpgradeStopped(out.lines(), r.exitCode());
        for (Check c : PgUpgradeReport.checks(ctx, out.files())) report.add(c);
        report.add(Check.fail("pg_upgrade --check", why + (out.kept() == null ? "" : "; its report and logs: " + out.kept()),
                "pg_upgrade stops at the first problem it finds: fix what it and the checks above list, then rehearse again"));
    }

    /**
     * The line that says why pg_upgrade stopped: the check it marked "fatal", else the last thing it
     * said before "Failure, exiting" (a non-empty new cluster, a server that would not start).
     */
    static String whyPgUpgradeStopped(List<String> lines, int exit) {
        for (String l : lines) if (l.strip().endsWith("fatal")) return l.strip().replaceAll("\\s{2,}", " ");
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals("Failure, exiting")) end = i;
        for (int i = end - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).strip();
        return "exit " + exit;
    }

    /**
     * Shell lines that start the new cluster {@code $s} on a private socket, LOAD each library the old
     * cluster's functions use, and stop it; {@code loadfail} is 1 when any did not load.
     */
    private String loadLibraries(int newPort, String user) {
        if (libraries.isEmpty()) return "loadfail=0\n";
        String start = ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$s\" -w -t 60 -l \"$r/load-libraries.log\" -o \"-p " + newPort
                + " -c listen_addresses='' -c unix_socket_directories='$w'\" start > /dev/null 2>&1";
        String stop = ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$s\" -m fast -w -t 60 stop > /dev/null 2>&1";
        return "loadfail=0\n"
                + "if " + start + "; then\n" + Libraries.loadScript(bindir, newPort, user, libraries) + stop + "\n"
                + "else loadfail=1; echo \"" + RehearsalOutput.LOAD_START_FAILED + "$(tail -3 \"$r/load-libraries.log\" | tr '\\n' ' ')\"; fi\n";
    }

    /** A dump has no pg_upgrade --check, but its restore needs the same libraries: LOAD each in a server of the new version. */
    void dumpLibraryLoad(UpgradePreflight.Facts facts) {
        if (libraries.isEmpty()) return;
        String version = facts.target().version().majorText();
        if (at != old && at.isRunning()) {
            report.add(proven(Libraries.loaded(libraries, Libraries.loadIn(at, libraries), version, at.getName())));
            return;
        }
        String cluster = pgdata.replaceAll("/+$", "") + ".cutover-check";
        String reports = UpgradePreflight.reportDir(pgdata);
        List<String> initdbArgv = new ArrayList<>(List.of(bindir + "/initdb", "-D", cluster));
        initdbArgv.addAll(facts.initdb().initdbArgs(facts.target().version()));
        String script = "s=" + ShellQuote.quote(cluster) + "; r=" + ShellQuote.quote(reports) + "\n"
                + "rm -rf \"$s\" \"$r\" && mkdir -p \"$r\" || exit 4\n"
                + ShellQuote.join(initdbArgv) + " > /dev/null || exit 3\n"
                + "w=$(mktemp -d /tmp/cutover-check.XXXXXX) || exit 4\n"
                + loadLibraries(port, facts.initdb().installUser())
                + "rm -rf \"$w\" \"$s\"\n"
                + "if [ $loadfail = 0 ]; then rm -rf \"$r\"; else echo \"cutover:kept $r\"; fi\n";
        ctx.action(at.getHost().name() + "$ LOAD each C library in a scratch " + version + " cluster " + cluster + " (removed after)");
        RehearsalOutput out = new RehearsalOutput(ctx);
        ExecResult r = exec(at.getHost(), script, Duration.ofMinutes(10), out, "while loading libraries");
        if (out.kept() != null) left.add("the log of loading the libraries in " + out.kept());
        if (!r.ok() || out.loadStartFailed() != null) {
            report.add(Check.fail("C libraries load", "could not run a scratch " + version + " cluster to load them"
                    + (out.loadStartFailed() != null ? ": " + out.loadStartFailed() : " (exit " + r.exitCode() + ")"),
                    "fix what stops initdb or the server on " + at.getHost().name() + ", then rehearse again"));
            return;
        }
        report.add(proven(Libraries.loaded(libraries, Libraries.parseLoad(out.loads(), libraries), version, "a scratch " + version + " cluster")));
    }

    /** A load check that passed is remembered for the window's pre-flight in this session. */
    private Check proven(Check loaded) {
        if (loaded.status() == Check.Status.OK) ctx.session(LoadedLibraries.class, LoadedLibraries::new).proven(bindir);
        return loaded;
    }

    /** Runs a rehearsal script on {@code host}, its output read by {@code out}; {@code during} says where a cancel stopped it. */
    private ExecResult exec(Host host, String script, Duration timeout, RehearsalOutput out, String during) {
        try {
            return host.exec(ExecRequest.shell(script, timeout, out::stdout, out::stderr, ctx.cancellation()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("upgrade: cancelled " + during);
        } catch (java.io.IOException e) {
            throw new CommandException("upgrade: " + e.getMessage(), e);
        }
    }
}
