package dev.cutover.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The arguments of one call: Groovy passes named arguments ({@code url: '...'}) as a leading map,
 * the rest positionally.
 */
public record Invocation(String command, Map<String, Object> named, List<Object> positional) {

    /** Results that stand for a value ({@link StandsFor}: an upgrade stands for its server) arrive as that value. */
    public Invocation {
        Map<String, Object> n = new java.util.LinkedHashMap<>();
        named.forEach((k, v) -> n.put(k, unwrap(v)));
        named = java.util.Collections.unmodifiableMap(n);
        positional = positional.stream().map(Invocation::unwrap).collect(java.util.stream.Collectors.toList());
    }

    /** A call as Groovy makes it: named arguments arrive as a leading map, the rest positionally. */
    public static Invocation of(String command, Object[] args) {
        Map<String, Object> named = new java.util.LinkedHashMap<>();
        List<Object> positional = new java.util.ArrayList<>(java.util.Arrays.asList(args));
        if (!positional.isEmpty() && positional.get(0) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> named.put(String.valueOf(k), v));
            positional.remove(0);
        }
        return new Invocation(command, named, positional);
    }

    private static Object unwrap(Object v) {
        return v instanceof StandsFor s ? s.standsFor() : v;
    }

    /** Fails with one clear line when an option is not one the command knows (a typo must not be ignored). */
    public Invocation checkOptions(List<OptionSpec> known) {
        Set<String> names = known.stream().map(OptionSpec::name).collect(Collectors.toSet());
        for (String key : named.keySet()) {
            if (!names.contains(key)) {
                throw new CommandException(command + ": unknown option '" + key + ":'"
                        + (names.isEmpty() ? " (it takes none)" : " (known: " + known.stream()
                        .map(o -> o.name() + ":").collect(Collectors.joining(", ")) + ")"));
            }
        }
        return this;
    }

    public Object arg(int index) {
        return index < positional.size() ? positional.get(index) : null;
    }

    public String requireString(int index, String what) {
        Object v = arg(index);
        if (v == null) throw new CommandException(command + ": missing " + what);
        return String.valueOf(v);
    }

    public boolean has(String option) {
        return named.containsKey(option);
    }

    public String string(String option, String fallback) {
        Object v = named.get(option);
        return v == null ? fallback : String.valueOf(v);
    }

    /** A true/false option; any other value ({@code 'yes'}, {@code 1}) is refused rather than read as false. */
    public boolean flag(String option, boolean fallback) {
        Object v = named.get(option);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        String s = String.valueOf(v).strip();
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw new CommandException(command + ": " + option + ": '" + s + "' is not true or false");
    }

    /** A whole number from {@code min} to {@code max} ({@code jobs: 4}, {@code port: '5433'}); anything else is one clear line. */
    public int number(String option, int fallback, int min, int max) {
        Object v = named.get(option);
        if (v == null) return fallback;
        String s = String.valueOf(v).strip();
        try {
            int n = v instanceof Integer i ? i : Integer.parseInt(s);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw new CommandException(command + ": " + option + ": '" + s + "' is not a whole number from " + min + " to " + max);
    }

    public Duration duration(String option, Duration fallback) {
        Object v = named.get(option);
        if (v == null) return fallback;
        try {
            return Durations.of(v);
        } catch (IllegalArgumentException e) {
            throw new CommandException(command + ": " + option + ": " + e.getMessage());
        }
    }

    /** The option's value as a {@code type}, or one clear line naming what it must be ({@code what}). */
    public <T> T required(String option, Class<T> type, String what) {
        Object v = named.get(option);
        if (type.isInstance(v)) return type.cast(v);
        throw new CommandException(command + ": " + option + ": must be " + what + (v == null ? "" : ", got " + v));
    }

    /** A list option ({@code databases: ['a', 'b']}), a single value as a list of one, absent as empty. */
    public List<String> strings(String option) {
        Object v = named.get(option);
        List<String> out = new java.util.ArrayList<>();
        if (v instanceof List<?> l) l.forEach(o -> out.add(String.valueOf(o)));
        else if (v != null) out.add(String.valueOf(v));
        return out;
    }

    public Object value(String option) {
        return named.get(option);
    }
}
