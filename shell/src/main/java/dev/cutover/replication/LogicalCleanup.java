package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.pg.Server;
import dev.cutover.spi.Durations;

/**
 * {@code replicate from: old, to: neu, mode: 'logical', drop: true}: removes every subscription,
 * publication, slot and marker table cutover made for the link, on both sides, in every database,
 * then looks again and fails naming whatever is left (an active slot, an unreachable server).
 */
final class LogicalCleanup {
    private final CommandContext ctx;

    LogicalCleanup(CommandContext ctx) {
        this.ctx = ctx;
    }

    Removed run(Server a, Server b, LinkNames names) throws Exception {
        long t0 = System.nanoTime();
        ctx.session(Leftovers.class, Leftovers::new).touched(names, a, b);
        List<String> done = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        for (Server s : List.of(a, b)) {
            if (s.isRunning()) servers.add(s);
            else notes.add(s.getName() + " is not running: nothing removed there");
        }
        try (Databases dbs = new Databases(ctx)) {
            Subscriptions subs = new Subscriptions(ctx, dbs);
            Map<Server, List<String>> databases = new LinkedHashMap<>();
            for (Server s : servers) databases.put(s, LogicalReplicate.connectable(s));
            // Subscriptions first (each drops its slot on the other side), so no publication or table is in use when it goes.
            for (Server s : servers) {
                for (String db : databases.get(s)) {
                    for (String sub : List.of(names.forward(), names.back())) {
                        if (exists(dbs, s, db, "select count(*) from pg_subscription s join pg_database d on d.oid = s.subdbid "
                                + "where d.datname = current_database() and s.subname = ?", sub)) {
                            String note = subs.unsubscribe(s, db, sub);
                            done.add(s.getName() + ":" + db + ": subscription " + sub);
                            if (note != null) notes.add(note);
                        }
                    }
                }
            }
            for (Server s : servers) {
                for (String db : databases.get(s)) {
                    if (exists(dbs, s, db, "select count(*) from pg_publication where pubname = ?", names.publication())) {
                        subs.unpublish(s, db, names.publication());
                        done.add(s.getName() + ":" + db + ": publication " + names.publication());
                    }
                    if (exists(dbs, s, db, "select count(*) from pg_namespace where nspname = ?", LinkNames.SCHEMA)) {
                        dbs.write(s, db, "drop schema " + Subscriptions.ident(LinkNames.SCHEMA) + " cascade");
                        done.add(s.getName() + ":" + db + ": marker schema " + LinkNames.SCHEMA);
                    }
                }
            }
            for (Server s : servers) {
                for (Map<String, Object> r : s.sql("select slot_name, active from pg_replication_slots where slot_type = 'logical' and slot_name like ?",
                        names.slotPattern())) {
                    if (Boolean.TRUE.equals(r.get("active"))) continue; // reported below: something still streams from it
                    s.sql("select pg_drop_replication_slot(?)", String.valueOf(r.get("slot_name")));
                    done.add(s.getName() + ": slot " + r.get("slot_name"));
                }
            }
            if (!ctx.dryRun()) {
                List<String> left = new ArrayList<>();
                for (Server s : servers) Leftovers.find(s, names).forEach(x -> left.add(s.getName() + ": " + x));
                if (!left.isEmpty()) {
                    throw new CommandException("replicate drop: still there after clean-up: " + String.join(", ", left)
                            + " (an active slot has a consumer still connected: stop it, then run drop: true again)");
                }
            }
        }
        return new Removed(done, notes, Duration.ofNanos(System.nanoTime() - t0));
    }

    private static boolean exists(Databases dbs, Server s, String db, String sql, Object... params) {
        return dbs.value(s, db, sql, params) instanceof Number n && n.longValue() > 0;
    }

    /** What clean-up removed. */
    public record Removed(List<String> removed, List<String> notes, Duration took) implements CommandResult {
        @Override
        public String summary() {
            return removed.isEmpty() ? "nothing of cutover's logical link was left" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                    : "removed " + removed.size() + " object(s): " + String.join(", ", removed) + "; no cutover slot or subscription remains"
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)) + " (" + Durations.format(took) + ")";
        }

        @Override
        public List<String> actions() {
            return removed;
        }

        @Override
        public Duration elapsed() {
            return took;
        }
    }
}
