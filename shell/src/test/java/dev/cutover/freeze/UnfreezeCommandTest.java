package dev.cutover.freeze;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.FakeContext;
import dev.cutover.spi.Invocation;

/** unfreeze without a server: naming a freeze that does not exist says which ones do. */
class UnfreezeCommandTest {

    @Test
    void anUnknownIdSaysNoneIsActive() {
        FakeContext ctx = new FakeContext(false);
        CommandException e = assertThrows(CommandException.class,
                () -> new UnfreezeCommand().run(ctx, Invocation.of("unfreeze", new Object[] {"freeze-7"})));
        assertTrue(e.getMessage().contains("no freeze freeze-7 in this session (none is active)"), e.getMessage());
    }

    @Test
    void unfreezeAllWithNothingFrozenChangesNothing() throws Exception {
        FakeContext ctx = new FakeContext(false);
        CommandResult r = (CommandResult) new UnfreezeCommand().run(ctx, Invocation.of("unfreeze", new Object[0]));
        assertTrue(ctx.actions.isEmpty(), ctx.actions.toString());
        assertTrue(ctx.events.isEmpty(), ctx.events.toString());
        assertTrue(r.summary() != null);
    }
}
