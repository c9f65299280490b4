package dev.cutover.engine;

import dev.cutover.spi.Command;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Built-in commands by name and hyphenated spelling; the list itself is {@code app/Builtins}. */
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
