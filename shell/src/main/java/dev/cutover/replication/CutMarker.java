package dev.cutover.replication;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.pg.Server;
import dev.cutover.spi.Durations;

/**
 * The proof at the cut. A row is committed on the source after the freeze, in every database, into
 * a published table of cutover's own; a subscription applies transactions in commit order, so once
 * that row is on the target, so is everything committed before the freeze. No LSN reported by
 * feedback (which lags by a status interval) is trusted.
 */
final class CutMarker {
    static final String TABLE = LinkNames.MARKER;
    private final CommandContext ctx;
    private final Databases dbs;

    CutMarker(CommandContext ctx, Databases dbs) {
        this.ctx = ctx;
        this.dbs = dbs;
    }

    /** The marker table, made on the source before its schema is copied (so the target has it and the publication covers it). */
    void create(Server source, String db) {
        dbs.write(source, db, "create schema if not exists " + LinkNames.SCHEMA);
        dbs.write(source, db, "create table if not exists " + TABLE + " (token text primary key, written_at timestamptz not null default now(), "
                + "what text not null)");
    }

    /** One database's proof: the token, the source's WAL position after its commit, and how long the target took to show it. */
    record Proof(String database, String token, String sourceLsn, Duration applied) {
    }

    /** Writes a marker in every database, then waits until the target shows each one. */
    Map<String, Proof> prove(Server from, Server to, List<String> databases, String what, Duration timeout) throws InterruptedException {
        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, String> lsns = new LinkedHashMap<>();
        long written = System.nanoTime();
        for (String db : databases) {
            String token = UUID.randomUUID().toString();
            dbs.write(from, db, "insert into " + TABLE + " (token, what) values (?, ?)", token, what);
            // Read after the commit: everything before this position is what the target must have applied.
            lsns.put(db, String.valueOf(dbs.value(from, db, "select " + from.pgVersion().currentLsnFunction() + "::text")));
            tokens.put(db, token);
        }
        if (ctx.dryRun()) return Map.of();
        Map<String, Proof> proofs = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (proofs.size() < tokens.size()) {
            for (var e : tokens.entrySet()) {
                if (proofs.containsKey(e.getKey())) continue;
                Object seen = dbs.value(to, e.getKey(), "select count(*) from " + TABLE + " where token = ?", e.getValue());
                if (seen instanceof Number n && n.longValue() > 0) {
                    proofs.put(e.getKey(), new Proof(e.getKey(), e.getValue(), lsns.get(e.getKey()), Duration.ofNanos(System.nanoTime() - written)));
                }
            }
            if (proofs.size() == tokens.size()) break;
            if (System.nanoTime() > deadline) {
                List<String> missing = tokens.keySet().stream().filter(d -> !proofs.containsKey(d)).toList();
                throw CommandException.refused("promote refused: the marker written on " + from.getName() + " after the freeze has not reached "
                        + to.getName() + " in " + String.join(", ", missing) + " within " + Durations.format(timeout)
                        + " (apply stopped or far behind: see " + to.getName() + "'s log and lag(" + from.getName() + ", " + to.getName()
                        + ")); nothing was switched: unfreeze to back out, or promote again with a longer timeout:");
            }
            ctx.cancellation().check();
            Thread.sleep(2);
        }
        return proofs;
    }
}
