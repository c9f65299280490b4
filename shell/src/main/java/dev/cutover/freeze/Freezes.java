package dev.cutover.freeze;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.pg.StoppedServers;
import dev.cutover.pg.ConnInfo;
import dev.cutover.spi.Durations;

/** The session's freezes: the prompt shows the oldest active one's age; unfreeze() undoes them all, newest first. */
public final class Freezes {
    private final List<Freeze> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    public String nextId() {
        return "freeze-" + counter.incrementAndGet();
    }

    public void add(Freeze f, CommandContext ctx) {
        all.add(f);
        Map<String, Object> data = new LinkedHashMap<>(f.state());
        data.put("id", f.id());
        data.put("kind", f.kind());
        data.put("started", f.started().toString());
        ctx.event(RecordedEvent.FREEZE, data);
    }

    public List<Freeze> active() {
        return all.stream().filter(Freeze::active).toList();
    }

    public Optional<Instant> frozenSince() {
        return active().stream().map(Freeze::started).min(Instant::compareTo);
    }

    /**
     * Undoes one freeze; records the frozen interval. A freeze whose server is gone (promote stopped
     * it) has nothing to undo there: it ends all the same, saying what stays in the server's files.
     */
    public Duration unfreeze(Freeze f, CommandContext ctx) throws Exception {
        if (!f.active()) {
            ctx.info(f.id() + " was already undone");
            return f.frozenFor();
        }
        String why = null;
        try {
            f.undo(ctx);
        } catch (ServerGone gone) {
            String stopped = ctx.session(StoppedServers.class, StoppedServers::new).of(gone.server())
                    .map(s -> gone.serverName() + " is stopped (" + s.describe() + ")").orElse(gone.getMessage());
            why = stopped + ": nothing to undo there; " + gone.leftInPlace();
        }
        Instant now = Instant.now();
        if (why == null) {
            f.markEnded(now);
        } else {
            f.markEndedWithoutUndo(now, why);
        }
        Duration d = f.frozenFor();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", f.id());
        data.put("kind", f.kind());
        data.put("frozenMs", d.toMillis());
        if (why != null) {
            data.put("undone", false);
            data.put("why", why);
        }
        ctx.event(RecordedEvent.UNFREEZE, data);
        if (why != null) ctx.info(why);
        ctx.info((why == null ? "unfrozen " : "freeze ended: ") + f.target() + " after " + Durations.format(d));
        return d;
    }

    /**
     * The command that undoes {@code f} in this shell: {@code unfreeze f} when a variable holds it,
     * {@code unfreeze()} when it is the only one, else {@code unfreeze 'freeze-2'}.
     */
    public String undoCommand(Freeze f, Map<String, Object> variables) {
        for (Map.Entry<String, Object> v : variables.entrySet()) {
            if (v.getValue() == f) return "unfreeze " + v.getKey();
        }
        return active().size() == 1 ? "unfreeze()" : "unfreeze '" + f.id() + "'";
    }

    /** Freezes of this session, active or ended, that changed the settings of the server at that address. */
    public List<Freeze> onServer(ConnInfo endpoint) {
        return all.stream().filter(f -> f.server().map(c -> c.host().equals(endpoint.host()) && c.port() == endpoint.port()).orElse(false)).toList();
    }

    /** An active freeze by its id ("freeze-2"). */
    public Optional<Freeze> byId(String id) {
        return all.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** Every active freeze, newest first. */
    public List<Duration> unfreezeAll(CommandContext ctx) throws Exception {
        List<Freeze> active = new ArrayList<>(active());
        java.util.Collections.reverse(active);
        List<Duration> out = new ArrayList<>();
        for (Freeze f : active) out.add(unfreeze(f, ctx));
        return out;
    }

    /** Rebuilds a freeze recorded in a transcript (resume after a crash in the window). */
    public void restore(Map<String, Object> recorded) {
        Freeze f = switch (String.valueOf(recorded.get("kind"))) {
            case "pgbouncer" -> PgBouncerFreeze.restore(recorded);
            case "read-only" -> ReadOnlyFreeze.restore(recorded);
            case "no-connections" -> NoConnectionsFreeze.restore(recorded);
            case "run" -> RunFreeze.restore(recorded);
            default -> null;
        };
        if (f != null) all.add(f);
        String id = String.valueOf(recorded.get("id"));
        if (id.startsWith("freeze-")) {
            try {
                counter.accumulateAndGet(Integer.parseInt(id.substring(7)), Math::max);
            } catch (NumberFormatException ignored) {
                // a hand-edited id: keep counting from where we are
            }
        }
    }

    /** Marks a recorded freeze undone (its unfreeze event was in the transcript). */
    public void restoreEnded(String id) {
        all.stream().filter(f -> f.id().equals(id)).forEach(f -> f.markEnded(Instant.now()));
    }
}
