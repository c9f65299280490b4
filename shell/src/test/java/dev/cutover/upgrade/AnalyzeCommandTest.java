package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.cutover.pg.FakeSql;
import dev.cutover.pg.Server;
import dev.cutover.spi.FakeContext;
import dev.cutover.spi.Invocation;

/** analyze without a server: a dry run lists the exact vacuumdb line and runs nothing. */
class AnalyzeCommandTest {

    @Test
    void aDryRunListsVacuumdbAndRunsNothing() throws Exception {
        FakeContext ctx = new FakeContext(true);
        // A bindir that does not exist: had the dry run executed it, the command would have failed.
        Server neu = new FakeSql().server("neu", "/nonexistent/bin", ctx);

        Object result = new AnalyzeCommand().run(ctx, Invocation.of("analyze", new Object[] {Map.of("jobs", 2), neu}));

        assertEquals(List.of("would run: local$ /nonexistent/bin/vacuumdb -w -h 127.0.0.1 -p 5432 -U postgres --all --analyze-in-stages -j 2"),
                ctx.actions);
        assertTrue(String.valueOf(((dev.cutover.spi.CommandResult) result).summary()).contains("neu"), String.valueOf(result));
    }

    @Test
    void withoutStagesItIsOneAnalyzeOnly() throws Exception {
        FakeContext ctx = new FakeContext(true);
        Server neu = new FakeSql().server("neu", "/nonexistent/bin", ctx);

        new AnalyzeCommand().run(ctx, Invocation.of("analyze", new Object[] {Map.of("jobs", 3, "stages", false), neu}));

        assertEquals(1, ctx.actions.size());
        assertTrue(ctx.actions.get(0).endsWith("vacuumdb -w -h 127.0.0.1 -p 5432 -U postgres --all --analyze-only -j 3"), ctx.actions.get(0));
    }
}
