package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.spi.Durations;

/**
 * Waits for the initial copy: every table of every subscription ready ({@code srsubstate = 'r'}),
 * showing which tables are being copied and how far (pg_stat_progress_copy on a 14+ target). It
 * watches the source's WAL disk meanwhile: the slots keep every segment written during the copy,
 * and when free space falls below the floor the copy is stopped (subscriptions and their slots
 * dropped) before the source's disk fills.
 */
final class InitialCopyWatch {
    private final CommandContext ctx;
    private final Databases dbs;
    private final Subscriptions subs;

    InitialCopyWatch(CommandContext ctx, Databases dbs, Subscriptions subs) {
        this.ctx = ctx;
        this.dbs = dbs;
        this.subs = subs;
    }

    /** Per database, how long until all its tables were ready. */
    Map<String, Duration> await(Server source, Server target, List<String> databases, String subscription, Duration timeout, long diskFloor)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long nextDiskLook = 0;
        Map<String, Duration> ready = new LinkedHashMap<>();
        String walDir = String.valueOf(source.value("select current_setting('data_directory')")) + "/" + source.pgVersion().walDir();
        while (ready.size() < databases.size()) {
            List<String> pending = new ArrayList<>();
            for (String db : databases) {
                if (ready.containsKey(db)) continue;
                List<Map<String, Object>> notReady = subs.notReady(target, db, subscription);
                if (notReady.isEmpty()) {
                    ready.put(db, Duration.ofNanos(System.nanoTime() - t0));
                    ctx.info("initial copy of " + db + " done: every table ready after " + Durations.format(ready.get(db)));
                } else {
                    for (Map<String, Object> r : notReady) pending.add(db + ":" + r.get("t") + " (" + state(String.valueOf(r.get("state"))) + ")");
                }
            }
            if (pending.isEmpty()) break;
            if (System.nanoTime() > nextDiskLook) {
                nextDiskLook = System.nanoTime() + 5_000_000_000L;
                Long free = free(source, walDir);
                if (free != null && free < diskFloor) {
                    for (String db : databases) subs.unsubscribe(target, db, subscription);
                    throw new CommandException("replicate stopped: " + source.getName() + "'s WAL disk is down to " + free + " bytes free (floor "
                            + diskFloor + "), and the slots would keep filling it; the subscriptions and their slots were dropped. "
                            + "Free space (or lower diskFloor:), then replicate from: ..., mode: 'logical', drop: true and replicate again");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CommandException("replicate: the initial copy is not done after " + Durations.format(timeout) + ": " + pending.size()
                        + " table(s) not ready, e.g. " + String.join(", ", pending.subList(0, Math.min(5, pending.size())))
                        + "; it goes on in the background: watch lag(" + source.getName() + ", " + target.getName() + ")");
            }
            ctx.progress("initial copy: " + pending.size() + " table(s) not ready" + copying(target, databases) + "; "
                    + Durations.format(Duration.ofNanos(System.nanoTime() - t0)) + " so far");
            ctx.cancellation().check();
            Thread.sleep(200);
        }
        return ready;
    }

    /** Tables being copied now and their rows so far (pg_stat_progress_copy exists from 14). */
    private String copying(Server target, List<String> databases) {
        if (target.getVersionNum() < 140_000) return "";
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> r : dbs.read(target, databases.get(0), "select datname, relid::regclass::text as t, tuples_processed "
                + "from pg_stat_progress_copy order by 1, 2")) {
            parts.add(r.get("datname") + ":" + r.get("t") + " " + r.get("tuples_processed") + " rows");
        }
        return parts.isEmpty() ? "" : "; copying " + String.join(", ", parts);
    }

    private static String state(String s) {
        return switch (s) {
            case "i" -> "waiting";
            case "d" -> "copying";
            case "f", "s" -> "catching up";
            default -> s;
        };
    }

    private static Long free(Server source, String walDir) {
        try {
            ExecResult df = source.quietShell("df -PB1 " + ShellQuote.quote(walDir) + " | awk 'NR==2 {print $4}'", Duration.ofSeconds(30));
            return Long.parseLong(df.stdout().strip());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
