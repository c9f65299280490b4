package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** What a DBA types first: --help on every subcommand, and tab completion in bash. */
class HelpAndCompletionTest {
    @TempDir
    Path dir;

    @Test
    void everySubcommandPrintsItsUsageOnHelpAndExitsZero() throws Exception {
        for (String sub : List.of("run", "check", "render", "completion")) {
            Cli.Result r = Cli.run(dir, sub, "--help");
            assertEquals(0, r.exit(), sub + " --help: " + r.out());
            assertTrue(r.out().startsWith("Usage: cutover " + sub), r.out());
        }
    }

    @Test
    void everyOptionAndParameterSaysWhatItIsFor() {
        List<String> undescribed = new ArrayList<>();
        collectUndescribed(new CommandLine(new Main()).getCommandSpec(), undescribed);
        assertEquals(List.of(), undescribed, "options and parameters without a description in --help");
    }

    private static void collectUndescribed(CommandSpec spec, List<String> out) {
        for (ArgSpec arg : spec.args()) {
            String text = String.join(" ", arg.description()).strip();
            if (text.isEmpty()) out.add(spec.qualifiedName() + " " + arg.paramLabel());
        }
        spec.subcommands().values().forEach(sub -> collectUndescribed(sub.getCommandSpec(), out));
    }

    @Test
    void completionBashPrintsAScriptThatCompletesSubcommandsAndOptions() throws Exception {
        Cli.Result r = Cli.run(dir, "completion", "bash");
        assertEquals(0, r.exit(), r.out());
        Path script = dir.resolve("cutover.bash");
        Files.writeString(script, r.out(), StandardCharsets.UTF_8);

        assertEquals(List.of("render", "run"), complete(script, "cutover", "r"));
        assertEquals(List.of("--trace", "--transcript"), complete(script, "cutover", "run", "--tr"));
        List<String> runOptions = new CommandLine(new Main()).getSubcommands().get("run").getCommandSpec().options().stream()
                .map(o -> o.longestName()).filter(n -> n.startsWith("--")).sorted().toList();
        assertTrue(complete(script, "cutover", "run", "--").containsAll(runOptions), "every run option is completed: " + runOptions);
    }

    @Test
    void completionForAnotherShellIsOneLineAndExitTwo() throws Exception {
        Cli.Result r = Cli.run(dir, "completion", "fish");
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("completion fish: only bash is supported"), r.out());
    }

    /** What bash offers after the given words, as it would on TAB (the last word is the one being completed). */
    private List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String quoted = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
        String program = "source " + script + "\n"
                + "COMP_WORDS=(" + quoted + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "\n"
                + "_complete_cutover 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
        Process p = new ProcessBuilder("bash", "-c", program).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
