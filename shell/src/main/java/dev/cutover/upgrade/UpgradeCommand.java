package dev.cutover.upgrade;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.pg.Server;
import dev.cutover.pg.Servers;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.StoppedServers;
import dev.cutover.freeze.ClosedDatabases;
import dev.cutover.freeze.Freezes;
import dev.cutover.spi.Phases;
import dev.cutover.pg.ControlData;
import dev.cutover.spi.Durations;

/**
 * {@code upgrade neu, bindir:, pgdata:, port:, method: 'link'}: a major upgrade by pg_upgrade
 * (link, clone, copy) or by dump and restore, after a pre-flight that refuses before anything
 * changes. With {@code check: true} only the pre-flight runs (plus pg_upgrade --check on a scratch
 * cluster): the rehearsal that keeps surprises out of the window.
 */
public final class UpgradeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("upgrade",
            "major upgrade by pg_upgrade (link/clone/copy) or dump/restore; check: true rehearses",
            "up = upgrade neu, bindir: '/usr/lib/postgresql/15/bin', pgdata: '/srv/pg/new15', port: 5415, method: 'link'",
            OptionSpec.of("bindir", "the new version's bin directory on the server's host"),
            OptionSpec.of("pgdata", "the new cluster's data directory (absent, empty, or an empty cluster)"),
            OptionSpec.of("port", "the new cluster's port (default: the old one's)"),
            OptionSpec.of("method", "'link' (default), 'clone', 'copy' or 'dump'"),
            OptionSpec.of("check", "pre-flight only: the old cluster is not changed"),
            OptionSpec.of("prepare", "with check: initdb and configure the new cluster now so the window skips it (default true)"),
            OptionSpec.of("measure", "with check: time pg_upgrade on a schema-only copy to print the expected outage (default true)"),
            OptionSpec.of("analyze", "'after-unfreeze' (default: run analyze yourself right after unfreeze), 'in-stages', 'none'"),
            OptionSpec.of("jobs", "parallel jobs (default: the host's cores)"),
            OptionSpec.of("name", "the new server's name (default: old name + major version)"),
            OptionSpec.of("to", "dump: an existing (or not yet created) server to restore into, on any host"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server old)) throw new CommandException("upgrade: which server? upgrade neu, bindir: '...', pgdata: '...'");
        String method = call.string("method", "link");
        if (!List.of("link", "clone", "copy", "dump").contains(method)) {
            throw new CommandException("upgrade: method: '" + method + "' is not one of link, clone, copy, dump");
        }
        Server into = call.value("to") instanceof Server s ? s : null;
        String bindir = call.string("bindir", into != null ? into.getBindir() : null);
        String pgdata = call.string("pgdata", into != null ? into.getPgdata() : null);
        if (bindir == null) throw new CommandException("upgrade: bindir: is required (the new version's bin directory, e.g. /usr/lib/postgresql/15/bin)");
        if (pgdata == null) throw new CommandException("upgrade: pgdata: is required (the new cluster's data directory)");
        int port = call.number("port", into != null ? into.getPort() : old.getPort(), 1, 65535);
        String analyze = call.string("analyze", "after-unfreeze");
        if (!List.of("after-unfreeze", "in-stages", "none").contains(analyze)) {
            throw new CommandException("upgrade: analyze: '" + analyze + "' is not one of after-unfreeze, in-stages, none");
        }

        boolean rehearsal = call.flag("check", false);
        if (!rehearsal && !method.equals("dump") && !old.isRunning() && cleanPrimaryShutdown(old)) {
            // Its settings, locale and extensions are read from the running server; upgrade stops it again below.
            ctx.info(old.getName() + " is stopped: starting it to read its settings (the upgrade stops it again)");
            old.start();
        }
        List<ClosedDatabases.Closed> opened = !rehearsal && !method.equals("dump") && old.isRunning()
                ? DatabasesOpenCheck.openReplicated(ctx, old) : List.of();
        CheckReport report = new CheckReport("upgrade pre-flight", ctx);
        UpgradePreflight preflight = new UpgradePreflight(ctx, report, old, into != null ? into : old, bindir, pgdata, port, method)
                .measure(call.flag("measure", true));
        UpgradePreflight.Facts facts;
        try {
            facts = preflight.run(rehearsal, call.flag("prepare", true));
            if (facts.oldRunning()) DatabasesOpenCheck.check(ctx, report, old, method, rehearsal, opened);
        } catch (RuntimeException e) {
            DatabasesOpenCheck.closeAgain(ctx, old, opened);
            throw e;
        }
        if (!rehearsal && method.equals("dump") && facts.oldRunning() && !facts.oldInRecovery()
                && ctx.session(Freezes.class, Freezes::new).active().isEmpty()) {
            report.add(dev.cutover.spi.Check.warn("writes", old.getName() + " is not frozen: what applications write after each database's "
                    + "dump has begun will not be in " + name(call, into, old, facts), "freeze first (f = freeze ...) so the copy is complete"));
        }
        String line = (report.passed() ? "ready" : "NOT ready") + " to upgrade " + facts.oldVersion().majorText() + " → "
                + facts.target().version().majorText() + " by " + method + ": " + report.count(dev.cutover.spi.Check.Status.OK)
                + " checks ok, " + report.count(dev.cutover.spi.Check.Status.WARN) + " warnings"
                + (report.passed() ? "" : ", " + report.failures().size() + " failed");
        ctx.out(report.passed() ? OutputKind.INFO : OutputKind.ERR, line);
        if (rehearsal) {
            report.refuseIfFailed("upgrade pre-flight", preflight.left());
            return report;
        }
        if (!report.passed()) DatabasesOpenCheck.closeAgain(ctx, old, opened);
        report.refuseIfFailed("upgrade");
        if (facts.oldInRecovery() && !method.equals("dump")) {
            throw CommandException.refused("upgrade refused: " + old.getName() + " is a standby (in recovery); nothing was changed. "
                    + "Promote it first (promote " + old.getName() + ", from: ...)");
        }
        String name = name(call, into, old, facts);
        int jobs = call.number("jobs", facts.cores(), 1, 256);
        if (method.equals("dump")) {
            Phases phases = new Phases(ctx, "upgrade by dump");
            Server target = new DumpRestore(ctx, old, into, facts, bindir, pgdata, port, jobs, name).run(phases);
            String stats = analyze(ctx, phases, target, analyze, jobs);
            return new Upgraded(target, facts.oldVersion().majorText(), facts.target().version().majorText(), "dump", phases.took(), null,
                    "the old cluster was only read and keeps running: point the apps back at it to back out", null, stats, List.of());
        }
        return pgUpgrade(ctx, old, facts, bindir, pgdata, port, method, jobs, analyze, name);
    }

    private static boolean cleanPrimaryShutdown(Server old) {
        try {
            return old.controlData().cleanlyShutDown();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Upgraded pgUpgrade(CommandContext ctx, Server old, UpgradePreflight.Facts facts, String bindir, String pgdata, int port,
                                      String method, int jobs, String analyze, String name) throws Exception {
        Host host = old.getHost();
        Phases phases = new Phases(ctx, "upgrade");
        String olddata = old.getDataDirectory();
        // initdb and configuration before the stop: they do not need the old cluster down, so they stay out of the outage.
        String origin = old.getName() + " (" + olddata + ")";
        String state = facts.targetMarker();
        String workdir = UpgradeWorkdir.path(pgdata);
        boolean reuse = TargetMarker.isPrepared(state) && facts.targetIsCluster();
        phases.run(reuse ? "configure (initdb done by the rehearsal)" : "initdb", () -> {
            if (TargetMarker.IN_PROGRESS.equals(state) && host.exists(olddata + "/global/pg_control")) {
                // Left by an interrupted run before pg_upgrade touched the old cluster: ours to re-make.
                ctx.mutate(host.name() + "$ rm -rf " + pgdata + "  (unfinished new cluster of an interrupted upgrade)", () ->
                        host.exec(ExecRequest.of(List.of("rm", "-rf", pgdata), Duration.ofMinutes(5), null, null, ctx.cancellation())));
            }
            TargetMarker.write(ctx, host, pgdata, TargetMarker.IN_PROGRESS);
            if (reuse) {
                String fp = NewCluster.fingerprint(facts.target(), port, facts.configFromFiles(), facts.hba(), origin);
                if (fp.equals(TargetMarker.fingerprintOf(state))) {
                    ctx.info("reusing the new cluster the rehearsal prepared (" + pgdata + "): configuration unchanged since, no initdb in the window");
                } else {
                    ctx.info("reusing the new cluster the rehearsal prepared (" + pgdata + "): configuration changed since, rewritten");
                    NewCluster.configure(ctx, host, facts.target(), pgdata, port, facts.configFromFiles(), facts.hba(), origin);
                }
            } else {
                NewCluster.create(ctx, host, facts.target(), pgdata, port, facts.initdb(), facts.configFromFiles(), facts.hba(), origin);
            }
            UpgradeWorkdir.prepare(ctx, host, workdir);
        });
        long down = System.nanoTime();
        phases.run("stop", () -> {
            if (old.isRunning()) old.stop("fast");
            if (ctx.dryRun()) return;
            ControlData cd = old.controlData();
            if (cd.state().contains("recovery")) {
                throw CommandException.refused("upgrade refused: " + old.getName() + " was shut down in recovery: a standby must be promoted "
                        + "first; the new cluster in " + pgdata + " is unused and the old one can be started again");
            }
            if (!cd.cleanlyShutDown()) {
                throw CommandException.refused("upgrade refused: " + old.getName() + " is not cleanly shut down (" + cd.state() + ")");
            }
        });
        Server neu = new Server(name, old.getConnInfo().withPort(port), host, pgdata, bindir, ctx.live());
        boolean[] upgradeRan = {false};
        boolean[] started = {false};
        try {
            phases.run("pg_upgrade", () -> {
                List<String> argv = new ArrayList<>(List.of(bindir + "/pg_upgrade", "-b", old.getBindir(), "-B", bindir, "-d", olddata,
                        "-D", pgdata, "-p", String.valueOf(old.getPort()), "-P", String.valueOf(port), "-j", String.valueOf(jobs)));
                if (!method.equals("copy")) argv.add("--" + method);
                if (facts.initdb().installUser() != null) argv.addAll(List.of("-U", facts.initdb().installUser()));
                // pg_upgrade writes its logs and scripts into the working directory and puts its sockets there.
                String script = "cd " + ShellQuote.quote(workdir) + " || exit 3\n" + ShellQuote.join(argv) + "\n";
                ctx.info("pg_upgrade's working directory: " + workdir + " (removed when the upgrade succeeds, kept with its reports when it fails)");
                upgradeRan[0] = true;
                ExecRequest req = new ExecRequest(List.of("bash", "-c", script), ShellQuote.join(argv), Duration.ofHours(12), ctx::out,
                        l -> ctx.out(OutputKind.ERR, l), ctx.cancellation(), java.util.Map.of());
                ExecResult r = ctx.mutate(host.name() + "$ " + req.display(), () -> host.exec(req));
                if (r != null && !r.ok()) throw new CommandException("pg_upgrade failed (exit " + r.exitCode() + ")");
            });
            phases.run("start", () -> {
                started[0] = !ctx.dryRun();
                neu.start();
            });
        } catch (Exception e) {
            // A cancelled step still owes the operator the truth about going back: look at the disk uninterrupted.
            boolean interrupted = Thread.interrupted();
            // A start that was attempted counts as started: pg_ctl may have timed out on a server still coming up on the
            // hard-linked files, and "the old cluster can still be started" would then be the worst advice there is.
            String rollback = rollback(ctx, old, name, method, started[0]);
            if (interrupted) Thread.currentThread().interrupt();
            throw new CommandException("upgrade failed: " + e.getMessage() + ". Rollback: " + rollback
                    + (upgradeRan[0] ? ". pg_upgrade's logs: " + workdir + " and " + pgdata + "/pg_upgrade_output.d" : ""), e);
        }
        Duration downtime = Duration.ofNanos(System.nanoTime() - down);
        if (!ctx.dryRun()) {
            host.exec(ExecRequest.of(List.of("rm", "-f", TargetMarker.path(pgdata)), Duration.ofSeconds(30), null, null, null));
        }
        ctx.session(Servers.class, Servers::new).add(neu);
        if (!ctx.dryRun()) ctx.info(neu.statusLine());
        phases.run("extension update", () -> updateExtensions(ctx, neu, host, workdir));
        UpgradeWorkdir.remove(ctx, host, workdir);
        String stats = analyze(ctx, phases, neu, analyze, jobs);
        String rollback = ctx.dryRun() ? "(dry run)" : rollback(ctx, old, name, method, true);
        return new Upgraded(neu, facts.oldVersion().majorText(), facts.target().version().majorText(), method, phases.took(),
                downtime, rollback, null, stats, List.of());
    }

    /**
     * The truth about going back, from what is on disk and what this session stopped: after a link
     * upgrade of a promoted standby, the way back is the primary promote stopped, not a backup.
     */
    private static String name(Invocation call, Server into, Server old, UpgradePreflight.Facts facts) {
        return call.string("name", into != null ? into.getName() : old.getName() + facts.target().version().majorText());
    }

    static String rollback(CommandContext ctx, Server old, String newName, String method, boolean newStarted) {
        String data = old.getDataDirectory();
        boolean disabled;
        try {
            disabled = old.getHost().exists(data + "/global/pg_control.old");
        } catch (Exception e) {
            disabled = false;
        }
        if (method.equals("link") && newStarted) {
            String gone = old.getName() + "'s data directory " + data + " can no longer be started: " + newName
                    + " was started on the same (hard-linked) data files. ";
            return gone + ctx.session(StoppedServers.class, StoppedServers::new).replacedBy(old).map(stop -> wayBack(ctx, stop, newName))
                    .orElse("Back out only from a backup or from a standby of " + old.getName());
        }
        if (disabled) {
            return "the old cluster can still be started (the new one never was): mv " + data + "/global/pg_control.old "
                    + data + "/global/pg_control, then " + old.getName() + ".start()";
        }
        return "the old cluster is untouched and can be started again (" + old.getName() + ".start())"
                + (newStarted ? "; writes made on the new cluster since would not be there" : "");
    }

    /** The primary promote stopped: untouched by the upgrade, it holds everything up to the cut. */
    private static String wayBack(CommandContext ctx, StoppedServers.Stop stop, String newName) {
        Server was = stop.server();
        String where = was.getDataDirectory() + " on " + was.getHost().name();
        String cut = Durations.timeOfDay(stop.at());
        boolean running;
        try {
            running = was.isRunning();
        } catch (RuntimeException e) {
            running = false;
        }
        if (running) {
            return "The way back is " + was.getName() + " (" + where + "), which " + stop.describe() + " and is running again since: "
                    + "check what was written there before pointing the applications back at it";
        }
        return "The way back is " + was.getName() + ", stopped cleanly by " + stop.by() + " at " + cut + " and not started since, untouched "
                + "by the upgrade (data " + where + "): start it (" + was.getName() + ".start())" + leftByFreezes(ctx, was)
                + ", and point the applications back at it; every write made on " + newName + " since the cut at " + cut + " would be lost";
    }

    /** What a freeze of the old primary left in its own settings, which a start brings back. */
    private static String leftByFreezes(CommandContext ctx, Server was) {
        StringBuilder sb = new StringBuilder();
        for (dev.cutover.freeze.Freeze f : ctx.session(dev.cutover.freeze.Freezes.class, dev.cutover.freeze.Freezes::new).onServer(was.getConnInfo())) {
            sb.append(", undo what ").append(f.id()).append(" (").append(f.kind()).append(") left in it: ").append(f.undoByHand());
        }
        return sb.toString();
    }

    private static void updateExtensions(CommandContext ctx, Server neu, Host host, String workdir) throws Exception {
        if (workdir == null || ctx.dryRun()) return;
        String file = workdir + "/update_extensions.sql";
        if (!host.exists(file)) {
            ctx.info("no extension needs ALTER EXTENSION ... UPDATE");
            return;
        }
        String script = new String(host.readFile(file), StandardCharsets.UTF_8);
        for (ExtensionUpdateScript.PerDatabase p : ExtensionUpdateScript.parse(script)) {
            try (Connection c = neu.openConnection(p.database()); Statement st = c.createStatement()) {
                for (String sql : p.statements()) {
                    ctx.action(neu.getName() + " (" + p.database() + "): " + sql);
                    st.execute(sql);
                    ctx.info(p.database() + ": " + sql);
                }
            }
        }
    }

    static String analyze(CommandContext ctx, Phases phases, Server neu, String analyze, int jobs) throws Exception {
        return switch (analyze) {
            case "in-stages" -> {
                phases.run("analyze", () -> Vacuumdb.analyzeInStages(ctx, neu, jobs));
                yield "analyzed in stages";
            }
            case "none" -> "not analyzed (analyze: 'none')";
            default -> "run `analyze " + neu.getName() + "` right after unfreeze (queries plan poorly until then)";
        };
    }
}
