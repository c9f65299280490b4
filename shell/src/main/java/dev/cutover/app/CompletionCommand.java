package dev.cutover.app;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cutover completion bash}: the bash completion script for cutover's subcommands and options,
 * generated from the same picocli model that parses them, so it cannot drift from the real CLI.
 * zsh can use it too, after {@code autoload -U bashcompinit && bashcompinit}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for cutover.",
                "Install: source <(cutover completion bash), or cutover completion bash > /etc/bash_completion.d/cutover"})
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "the shell: bash (the default; zsh reads it through bashcompinit)")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new UsageException("completion " + shell + ": only bash is supported (zsh: autoload -U bashcompinit && bashcompinit, then the bash script)");
        }
        var out = Main.stdout();
        out.print(AutoComplete.bash("cutover", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
