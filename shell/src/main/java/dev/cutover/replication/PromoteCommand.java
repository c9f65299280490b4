package dev.cutover.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.freeze.Freezes;
import dev.cutover.pg.Server;
import dev.cutover.pg.StoppedServers;
import dev.cutover.pg.ControlData;
import dev.cutover.pg.Lsn;
import dev.cutover.pg.TimelineHistory;
import dev.cutover.spi.Durations;

/**
 * {@code promote neu, from: old}: promotes only with proof that nothing committed on old is missing
 * on neu: old is frozen, stopped cleanly, its shutdown checkpoint LSN read from pg_controldata, and
 * neu waited for until it has replayed past it. Otherwise nothing is promoted.
 */
public final class PromoteCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("promote",
            "stop old cleanly, prove neu replayed its last WAL, promote neu",
            "promote neu, from: old",
            OptionSpec.of("from", "the primary the standby streams from"),
            OptionSpec.of("force", "promote although old is not frozen"),
            OptionSpec.of("stopOld", "stop old first (default true); false for a rehearsal where old stays primary"),
            OptionSpec.of("timeout", "how long neu may take to replay old's last WAL (default 60s)"),
            OptionSpec.of("reverse", "logical link: start the way back (default true)"),
            OptionSpec.of("name", "logical link: its name when not cutover"),
            OptionSpec.of("prepare", "logical link: the cut's checks before the window (no freeze, nothing changed), connections kept warm for it"),
            OptionSpec.of("largeObjects", "logical link: 'copy' the source's large objects at the cut (while frozen), or 'skip' them; refused without when there are any"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    /** What promotion did. */
    public record Promoted(String server, int timeline, String switchLsn, String oldCheckpoint, String replayed, Duration took,
                           boolean alreadyPrimary, String note) implements CommandResult {
        @Override
        public String summary() {
            if (alreadyPrimary) return server + " is already a primary (timeline " + timeline + "): nothing to do";
            return server + " promoted: timeline " + timeline + ", switched at " + switchLsn + "; old's shutdown checkpoint "
                    + oldCheckpoint + ", replayed to " + replayed + " in " + Durations.format(took) + (note == null ? "" : "; " + note);
        }

        @Override
        public List<Map<String, Object>> rows() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", server);
            r.put("timeline", timeline);
            r.put("switch_lsn", switchLsn);
            r.put("old_checkpoint", oldCheckpoint);
            r.put("replayed", replayed);
            return List.of(r);
        }

        public int getTimeline() {
            return timeline;
        }
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server neu)) throw new CommandException("promote: which standby? promote neu, from: old");
        Server old = call.required("from", Server.class, "a connected server (x = connect 'x', url: ...)");
        boolean stopOld = call.flag("stopOld", true);
        Duration timeout = call.duration("timeout", Duration.ofSeconds(60));
        long t0 = System.nanoTime();

        // Every check that changes nothing comes first.
        if (!neu.isRunning()) {
            throw CommandException.refused("promote refused: " + neu.getName() + " is not running, so it cannot have replayed "
                    + old.getName() + "'s last WAL; nothing was changed. Start it (" + neu.getName() + ".start()) and let it catch up");
        }
        LogicalLink logical = Logical.link(neu, old, call);
        if (logical != null) return Logical.promote(ctx, call, logical);
        boolean oldRunning = old.isRunning();
        if (!neu.getInRecovery()) {
            // Nothing to promote: ok only when that is the state a finished promote leaves (old stopped). With old still up,
            // "nothing to do" would hide a logical link that was not found, a wrong from:, or two primaries taking writes.
            if (oldRunning) {
                String a = old.systemIdentifier();
                String b = neu.systemIdentifier();
                throw CommandException.refused("promote refused: " + neu.getName() + " is already a primary and " + old.getName()
                        + " still runs" + (a.equals(b) ? " as a primary of the same cluster (system identifier " + a + "): writes made on "
                        + old.getName() + " since " + neu.getName() + "'s promotion are not on it. Stop " + old.getName() + " and compare before going on"
                        : ", and it is not a copy of " + old.getName() + " (system identifier " + b + " vs " + a + ") with no logical link between them. "
                        + "If replicate was given name:, give promote the same name:") + "; nothing was changed");
            }
            return new Promoted(neu.getName(), neu.getTimeline(), null, null, neu.getLsn(), Duration.ZERO, true, null);
        }
        if (oldRunning) {
            String a = old.systemIdentifier();
            String b = neu.systemIdentifier();
            if (!a.equals(b)) {
                throw CommandException.refused("promote refused: " + neu.getName() + " is not a standby of " + old.getName()
                        + " (system identifier " + b + " vs " + a + "); nothing was changed");
            }
            if (old.getInRecovery()) {
                throw CommandException.refused("promote refused: " + old.getName() + " is itself a standby, not the primary; nothing was changed");
            }
        }
        String sender = senderOf(neu);
        if (sender != null && !sameEndpoint(sender, old)) {
            throw CommandException.refused("promote refused: " + neu.getName() + " streams from " + sender + ", not from "
                    + old.getName() + " (" + old.getConnInfo().host() + ":" + old.getPort() + "); nothing was changed");
        }
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        if (freezes.active().isEmpty() && !call.flag("force", false) && oldRunning && stopOld) {
            throw CommandException.refused("promote refused: writes are not frozen, so applications may still be writing to "
                    + old.getName() + "; nothing was changed. freeze first (f = freeze ...), or pass force: true");
        }

        // Proof: old stopped cleanly, and its shutdown checkpoint is on neu.
        Lsn target;
        if (stopOld) {
            if (oldRunning) {
                old.stop("fast");
                // It is the way back from here on: unfreeze and upgrade say so instead of failing on it.
                if (!ctx.dryRun()) ctx.session(StoppedServers.class, StoppedServers::new).add(old, "promote", Instant.now(), neu);
            }
            ControlData cd = old.controlData();
            if (!cd.cleanlyShutDown()) {
                throw CommandException.refused("promote refused: " + old.getName() + " is not cleanly shut down (state: " + cd.state()
                        + "), so its last WAL position is unknown; nothing was promoted. Start it and stop it with a fast shutdown");
            }
            target = cd.checkpointLocation();
            ctx.info(old.getName() + " stopped cleanly; shutdown checkpoint at " + target);
        } else {
            target = Lsn.parse(String.valueOf(old.value("select " + old.pgVersion().currentLsnFunction() + "::text")));
            ctx.info(old.getName() + " keeps running (rehearsal); waiting for " + target);
        }
        Lsn replayed = waitForReplay(ctx, neu, old, target, timeout, stopOld);

        String promotion = neu.pgVersion().num() >= 120_000 ? "select pg_promote(true, 60)" : null;
        ctx.mutate(neu.getName() + ": " + (promotion != null ? promotion : "pg_ctl promote"), () -> {
            if (promotion != null) {
                neu.sql(promotion);
            } else {
                neu.tool("pg_ctl", List.of("promote", "-w", "-D", neu.getDataDirectory()), Duration.ofMinutes(2));
            }
            return null;
        });
        if (ctx.dryRun()) return null;
        waitForWrites(ctx, neu, Duration.ofSeconds(60));
        int timeline = neu.getTimeline();
        String switchLsn = switchPoint(neu, timeline);
        String note = null;
        if (!stopOld && oldRunning) {
            String slot = neu.getReplicationSlot();
            if (slot != null) {
                old.sql("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ? and not active", slot);
                note = "dropped slot " + slot + " on " + old.getName();
            }
        } else if (neu.getReplicationSlot() != null) {
            note = old.getName() + " keeps slot " + neu.getReplicationSlot() + " in its data directory: drop it if " + old.getName() + " is ever started again";
        }
        Promoted p = new Promoted(neu.getName(), timeline, switchLsn, stopOld ? target.toString() : null, replayed.toString(),
                Duration.ofNanos(System.nanoTime() - t0), false, note);
        return p;
    }

    private static Lsn waitForReplay(CommandContext ctx, Server neu, Server old, Lsn target, Duration timeout, boolean strict)
            throws InterruptedException {
        String fn = neu.pgVersion().replayLsnFunction();
        long deadline = System.nanoTime() + timeout.toNanos();
        Lsn replayed = null;
        while (true) {
            Object v = neu.value("select " + fn + "::text");
            replayed = v == null ? null : Lsn.parse(String.valueOf(v));
            // The checkpoint location is where the shutdown record starts; replay ends after it.
            if (replayed != null && (strict ? replayed.compareTo(target) > 0 : replayed.compareTo(target) >= 0)) return replayed;
            if (System.nanoTime() > deadline) {
                throw CommandException.refused("promote refused: " + neu.getName() + " replayed up to " + replayed + " but "
                        + old.getName() + "'s last WAL ends at " + target + " (waited " + Durations.format(timeout) + "); nothing was promoted. "
                        + old.getName() + " is stopped cleanly and can be started again (" + old.getName() + ".start()) to back out");
            }
            ctx.progress(neu.getName() + " replayed " + replayed + ", waiting for " + target);
            ctx.cancellation().check();
            Thread.sleep(5);
        }
    }

    private static void waitForWrites(CommandContext ctx, Server neu, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (!neu.getInRecovery()) {
                    neu.value("select " + (neu.pgVersion().num() >= 130_000 ? "pg_current_xact_id()" : "txid_current()"));
                    return;
                }
            } catch (CommandException e) {
                if (System.nanoTime() > deadline) throw e;
            }
            if (System.nanoTime() > deadline) {
                throw new CommandException("promote: " + neu.getName() + " was told to promote but still does not accept writes after "
                        + Durations.format(timeout) + "; check its log");
            }
            ctx.cancellation().check();
            Thread.sleep(20);
        }
    }

    /** The switch LSN from the new timeline's history file (its last line: parent, switch point, reason). */
    private static String switchPoint(Server neu, int timeline) {
        try {
            String file = neu.pgVersion().walDir() + "/" + TimelineHistory.fileName(timeline);
            var entries = TimelineHistory.parse(timeline, String.valueOf(neu.value("select pg_read_file(?)", file))).entries();
            return entries.get(entries.size() - 1).switchPoint().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String senderOf(Server neu) {
        try {
            if (neu.pgVersion().num() < 110_000) return null;
            var rows = neu.sql("select sender_host, sender_port from pg_stat_wal_receiver");
            if (rows.isEmpty() || rows.get(0).get("sender_host") == null) return null;
            return rows.get(0).get("sender_host") + ":" + rows.get(0).get("sender_port");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean sameEndpoint(String sender, Server old) {
        int colon = sender.lastIndexOf(':');
        String host = sender.substring(0, colon);
        String port = sender.substring(colon + 1);
        if (!port.equals(String.valueOf(old.getPort()))) return false;
        try {
            var a = java.net.InetAddress.getAllByName(host);
            var b = java.net.InetAddress.getAllByName(old.getConnInfo().host());
            for (var x : a) for (var y : b) if (x.equals(y)) return true;
            return false;
        } catch (java.net.UnknownHostException e) {
            return host.equals(old.getConnInfo().host());
        }
    }
}
