package dev.cutover.freeze;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.spi.OptionSpec;
import dev.cutover.pg.Server;
import dev.cutover.pg.BoundedDdl;
import dev.cutover.pg.ConnInfo;

/**
 * Stops writes, within a budget: {@code freeze pgbouncer: url, databases: ['appdb']} (PAUSE),
 * {@code freeze old, mode: 'read-only'}, {@code freeze old, mode: 'no-connections'}, or
 * {@code freeze run: ['root@app1': 'systemctl stop app'], undo: ['root@app1': 'systemctl start app']}.
 * A freeze that cannot complete in time is undone and the step fails naming what blocked it.
 */
public final class FreezeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("freeze",
            "stop writes within a budget (PgBouncer PAUSE, read-only, no-connections, or app commands)",
            "f = freeze pgbouncer: 'postgresql://postgres@127.0.0.1:6432/pgbouncer', databases: ['appdb'], timeout: 10",
            OptionSpec.of("pgbouncer", "PgBouncer admin url: postgresql://postgres@host:6432/pgbouncer (PAUSE)"),
            OptionSpec.of("databases", "databases to pause or close (default: all)"),
            OptionSpec.of("mode", "'read-only' or 'no-connections' on a server"),
            OptionSpec.of("run", "[host: 'command'] stopping the apps ('local' = this machine)"),
            OptionSpec.of("undo", "[host: 'command'] starting them again"),
            OptionSpec.of("timeout", "the budget: undone when not complete in time (default 10s)"),
            OptionSpec.of("grace", "read-only: how long older transactions may finish before they are terminated (default half the budget)"),
            OptionSpec.of("lockTimeout", "read-only, no-connections: how long their DDL may wait for a lock before the freeze is undone (default 2s)"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        Duration budget = call.duration("timeout", Duration.ofSeconds(10));
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        String id = freezes.nextId();
        List<String> databases = call.strings("databases");
        Freeze f;
        if (call.has("pgbouncer")) {
            ConnInfo admin = parse(call.string("pgbouncer", null));
            if (admin.password() != null) ctx.addSecret(admin.password());
            f = PgBouncerFreeze.apply(ctx, id, admin, databases, budget);
        } else if (call.has("run")) {
            f = RunFreeze.apply(ctx, id, map(call.value("run"), "run"), map(call.value("undo"), "undo"), budget);
        } else if (call.arg(0) instanceof Server server) {
            String mode = call.string("mode", null);
            BoundedDdl ddl = new BoundedDdl(call.duration("lockTimeout", BoundedDdl.DEFAULT_LOCK_TIMEOUT), BoundedDdl.DEFAULT_STATEMENT_TIMEOUT);
            if ("read-only".equals(mode)) {
                Duration grace = call.duration("grace", budget.dividedBy(2));
                f = ReadOnlyFreeze.apply(ctx, id, server.getName(), server.getConnInfo(), budget, grace, ddl);
            } else if ("no-connections".equals(mode)) {
                f = NoConnectionsFreeze.apply(ctx, id, server.getName(), server.getConnInfo(), databases, budget, ddl);
            } else {
                throw new CommandException("freeze " + server.getName() + ": mode: must be 'read-only' or 'no-connections'");
            }
        } else {
            throw new CommandException("freeze: say what to freeze: pgbouncer: url, a server with mode:, or run:/undo: commands");
        }
        if (ctx.dryRun()) return f;
        freezes.add(f, ctx);
        return f;
    }

    private static ConnInfo parse(String url) {
        try {
            return ConnInfo.parse(url);
        } catch (IllegalArgumentException e) {
            throw new CommandException("freeze: pgbouncer: " + e.getMessage());
        }
    }

    private static Map<String, String> map(Object v, String option) {
        if (!(v instanceof Map<?, ?> m)) throw new CommandException("freeze: " + option + ": must be a map [host: 'command']");
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, c) -> out.put(String.valueOf(k), String.valueOf(c)));
        return out;
    }

    /** Freezes the earlier run left in force come back, so a step of this run (or the exit) can still undo them. */
    @Override
    public void resume(List<RecordedEvent> recorded, CommandContext ctx) {
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        for (RecordedEvent e : recorded) {
            if (RecordedEvent.FREEZE.equals(e.type())) freezes.restore(e.data());
            if (RecordedEvent.UNFREEZE.equals(e.type())) freezes.restoreEnded(e.string("id"));
        }
    }
}
