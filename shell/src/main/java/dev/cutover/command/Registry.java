package dev.cutover.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutover.command.builtin.AnalyzeCommand;
import dev.cutover.command.builtin.ConfirmCommand;
import dev.cutover.command.builtin.FixHistoryCommand;
import dev.cutover.command.builtin.SnapshotCommand;
import dev.cutover.command.builtin.VerifyCommand;
import dev.cutover.command.builtin.UpgradeCommand;
import dev.cutover.command.builtin.ConnectCommand;
import dev.cutover.command.builtin.FlipAliasCommand;
import dev.cutover.command.builtin.FreezeCommand;
import dev.cutover.command.builtin.PromoteCommand;
import dev.cutover.command.builtin.UnfreezeCommand;
import dev.cutover.command.builtin.LagCommand;
import dev.cutover.command.builtin.ReplicateCommand;
import dev.cutover.command.builtin.NoteCommand;
import dev.cutover.command.builtin.ShCommand;
import dev.cutover.command.builtin.SleepCommand;

/** The one list of built-in commands. Adding a command = one class in builtin/ + one line here. */
public final class Registry {
    private final Map<String, Command> byName = new LinkedHashMap<>();
    private final Map<String, Command> byHyphenated = new LinkedHashMap<>();

    public Registry(List<Command> commands) {
        for (Command c : commands) {
            if (byName.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("two commands named " + c.name());
            }
            byHyphenated.put(c.hyphenated(), c);
        }
    }

    public static Registry builtins() {
        return new Registry(List.of(
                new NoteCommand(),
                new ConfirmCommand(),
                new SleepCommand(),
                new ShCommand(),
                new ConnectCommand(),
                new ReplicateCommand(),
                new LagCommand(),
                new FreezeCommand(),
                new UnfreezeCommand(),
                new PromoteCommand(),
                new FlipAliasCommand(),
                new UpgradeCommand(),
                new AnalyzeCommand(),
                new SnapshotCommand(),
                new VerifyCommand(),
                new FixHistoryCommand()));
    }

    public Optional<Command> find(String name) {
        Command c = byName.get(name);
        return Optional.ofNullable(c != null ? c : byHyphenated.get(name));
    }

    public List<Command> all() {
        return List.copyOf(byName.values());
    }

    /** Hyphenated spellings that differ from the camel-case name ({@code fix-history}). */
    public Map<String, Command> hyphenatedAliases() {
        Map<String, Command> m = new LinkedHashMap<>();
        byHyphenated.forEach((k, v) -> {
            if (!k.equals(v.name())) m.put(k, v);
        });
        return m;
    }
}
