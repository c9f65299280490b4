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
import dev.cutover.command.CommandContext;
import dev.cutover.runbook.Durations;

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
        ctx.event("freeze", data);
    }

    public List<Freeze> active() {
        return all.stream().filter(Freeze::active).toList();
    }

    public Optional<Instant> frozenSince() {
        return active().stream().map(Freeze::started).min(Instant::compareTo);
    }

    /** Undoes one freeze; records the frozen interval. */
    public Duration unfreeze(Freeze f, CommandContext ctx) throws Exception {
        if (!f.active()) {
            ctx.info(f.id() + " was already undone");
            return f.frozenFor();
        }
        f.undo(ctx);
        Instant now = Instant.now();
        f.markEnded(now);
        Duration d = f.frozenFor();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", f.id());
        data.put("kind", f.kind());
        data.put("frozenMs", d.toMillis());
        ctx.event("unfreeze", data);
        ctx.info("unfrozen " + f.target() + " after " + Durations.format(d));
        return d;
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
