package dev.cutover.upgrade;

import java.time.Duration;
import java.util.List;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.pg.Server;
import dev.cutover.spi.Durations;

/**
 * {@code analyze up}: optimizer statistics for every database after an upgrade (pg_upgrade does not
 * carry them). In stages by default: minimal statistics for every table first, so queries plan
 * sanely within seconds, then the full ones.
 */
public final class AnalyzeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("analyze",
            "vacuumdb --all --analyze-in-stages on a server, with progress",
            "analyze up",
            OptionSpec.of("jobs", "parallel connections (default: the host's cores)"),
            OptionSpec.of("stages", "true (default): --analyze-in-stages; false: one full ANALYZE"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    public record Analyzed(String server, Duration took) implements CommandResult {
        @Override
        public String summary() {
            return server + ": statistics for every database in " + Durations.format(took);
        }

        @Override
        public Duration elapsed() {
            return took;
        }
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server server)) throw new CommandException("analyze: which server? analyze up");
        int jobs = call.has("jobs") ? Integer.parseInt(call.string("jobs", null)) : server.cores();
        long t0 = System.nanoTime();
        if (call.flag("stages", true)) {
            Vacuumdb.analyzeInStages(ctx, server, jobs);
        } else {
            Vacuumdb.run(ctx, server, List.of("--all", "--analyze-only", "-j", String.valueOf(jobs)));
        }
        return new Analyzed(server.getName(), Duration.ofNanos(System.nanoTime() - t0));
    }
}
