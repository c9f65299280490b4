package dev.cutover.basics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.LocalHost;
import dev.cutover.host.ShellQuote;

/**
 * {@code sh 'df -h'} on this machine: a shell line, or a list of arguments passed as-is
 * ({@code sh(['ls', '/path with spaces'])}). Returns exit code, stdout, stderr; a non-zero exit
 * does not fail the step unless {@code check: true}.
 */
public final class ShCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("sh",
            "run a shell command on this machine: exitCode, stdout, stderr",
            "sh 'df -h', timeout: '30s', check: true",
            OptionSpec.of("timeout", "kill the command after this long (30s, 5m)"),
            OptionSpec.of("check", "fail the step when the exit code is not 0"),
            OptionSpec.of("quiet", "do not echo output lines as they arrive"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        Object what = call.arg(0);
        if (what == null) throw new CommandException("sh: what should it run? sh 'df -h'");
        Duration timeout = call.duration("timeout", null);
        boolean quiet = call.flag("quiet", false);
        ExecRequest req;
        if (what instanceof List<?> list) {
            List<String> argv = new ArrayList<>();
            list.forEach(o -> argv.add(String.valueOf(o)));
            req = new ExecRequest(argv, ShellQuote.join(argv), timeout, quiet ? null : ctx::out,
                    quiet ? null : l -> ctx.out(OutputKind.ERR, l), ctx.cancellation(), Map.of());
        } else {
            req = ExecRequest.shell(String.valueOf(what), timeout, quiet ? null : ctx::out,
                    quiet ? null : l -> ctx.out(OutputKind.ERR, l), ctx.cancellation());
        }
        ExecResult result = ctx.mutate("local$ " + req.display(), () -> LocalHost.INSTANCE.exec(req));
        if (result == null) return ExecResult.notRun("local", req.display());
        if (call.flag("check", false) && !result.ok()) {
            throw new CommandException("sh: " + result.summary()
                    + (result.stderr().isBlank() ? "" : ": " + lastLine(result.stderr())));
        }
        return result;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
