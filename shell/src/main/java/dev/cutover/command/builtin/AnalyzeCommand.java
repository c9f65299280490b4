package dev.cutover.command.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.command.Command;
import dev.cutover.command.CommandContext;
import dev.cutover.command.CommandException;
import dev.cutover.command.CommandResult;
import dev.cutover.command.Invocation;
import dev.cutover.command.OptionSpec;
import dev.cutover.command.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Server;
import dev.cutover.runbook.Durations;

/**
 * {@code analyze up}: optimizer statistics for every database after an upgrade (pg_upgrade does not
 * carry them). In stages by default: minimal statistics for every table first, so queries plan
 * sanely within seconds, then the full ones.
 */
public final class AnalyzeCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.of("jobs", "parallel connections (default: the host's cores)"),
            OptionSpec.of("stages", "true (default): --analyze-in-stages; false: one full ANALYZE"));

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "vacuumdb --all --analyze-in-stages on a server, with progress";
    }

    @Override
    public String usage() {
        return "analyze up";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
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
        call.checkOptions(OPTIONS);
        if (!(call.arg(0) instanceof Server server)) throw new CommandException("analyze: which server? analyze up");
        int jobs = call.has("jobs") ? Integer.parseInt(call.string("jobs", null)) : server.cores();
        long t0 = System.nanoTime();
        if (call.flag("stages", true)) {
            vacuumdb(ctx, server, jobs);
        } else {
            run(ctx, server, List.of("--all", "--analyze-only", "-j", String.valueOf(jobs)));
        }
        return new Analyzed(server.getName(), Duration.ofNanos(System.nanoTime() - t0));
    }

    static void vacuumdb(CommandContext ctx, Server server, int jobs) {
        run(ctx, server, List.of("--all", "--analyze-in-stages", "-j", String.valueOf(jobs)));
    }

    private static void run(CommandContext ctx, Server server, List<String> options) {
        if (server.getBindir() == null) server.detectBindir(null);
        // -w: a missing password fails at once instead of waiting for a prompt nobody can answer.
        List<String> argv = new ArrayList<>(List.of(server.getBindir() + "/vacuumdb", "-w", "-h", server.getConnInfo().host(),
                "-p", String.valueOf(server.getPort()), "-U", server.getConnInfo().user()));
        argv.addAll(options);
        ExecRequest req = ExecRequest.of(argv, Duration.ofHours(12), ctx::out, l -> ctx.out(OutputKind.ERR, l), ctx.cancellation())
                .withEnv(server.getConnInfo().toolEnv());
        try {
            ExecResult r = ctx.mutate(server.getHost().name() + "$ " + req.display(), () -> server.getHost().exec(req));
            if (r != null && !r.ok()) throw new CommandException("analyze " + server.getName() + ": vacuumdb failed (exit " + r.exitCode() + ")");
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException("analyze " + server.getName() + ": " + e.getMessage(), e);
        }
    }
}
