package dev.cutover.replication;

import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.pg.Server;

/** {@code lag(old, neu)}: the standby's state and lag in bytes and seconds, as the primary sees it. */
public final class LagCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("lag",
            "replication state and lag (bytes, seconds) of a standby, or per database of a logical link",
            "lag(old, neu)",
            OptionSpec.of("slot", "the standby's replication slot, when several stream"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) {
        if (!(call.arg(0) instanceof Server primary) || !(call.arg(1) instanceof Server standby)) {
            throw new CommandException("lag: give the primary and the standby: lag(old, neu)");
        }
        LogicalLink logical = Logical.link(standby, primary, call);
        if (logical != null) return Logical.lag(ctx, logical);
        // Asked only when not given: the standby need not be reachable to read the lag from its primary.
        String slot = call.has("slot") ? call.string("slot", null) : ReplicationProbe.slotOf(standby);
        return ReplicationProbe.status(primary, standby, slot);
    }
}
