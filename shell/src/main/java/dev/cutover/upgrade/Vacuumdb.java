package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;

/** vacuumdb on a server's host, with its output streamed and a failure named: what analyze and upgrade run after the upgrade. */
final class Vacuumdb {
    private Vacuumdb() {
    }

    static void analyzeInStages(CommandContext ctx, Server server, int jobs) {
        run(ctx, server, List.of("--all", "--analyze-in-stages", "-j", String.valueOf(jobs)));
    }

    static void run(CommandContext ctx, Server server, List<String> options) {
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
