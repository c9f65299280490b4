package dev.cutover.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import dev.cutover.engine.Prompter;
import dev.cutover.runbook.ParamSpec;
import dev.cutover.runbook.Runbook;

/** Resolves a runbook's params: -p over --params-file over defaults; missing ones asked for, or an error. */
final class Params {
    private Params() {
    }

    /** {@code name=value} lines; blank lines and # comments ignored. */
    static Map<String, String> readFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        int n = 0;
        for (String line : InputFiles.text(file, "params file", InputFiles.PARAMS_LIMIT).split("\r?\n", -1)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) throw new UsageException(file + ":" + n + ": expected name=value");
            values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return values;
    }

    static Map<String, String> parseOptions(List<String> pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new UsageException("-p " + p + ": write -p name=value");
            values.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return values;
    }

    /**
     * A required param (no default) given as empty text is an error, wherever the empty text came from.
     *
     * @param given         -p values (every name must be declared)
     * @param fromFile      --params-file values (names the runbook does not declare are ignored: one lab file serves every runbook)
     * @param prompter      asks for missing values; null in batch
     */
    static Map<String, String> resolve(Runbook runbook, Map<String, String> given, Map<String, String> fromFile, Prompter prompter) {
        Set<String> declared = runbook.params().stream().map(ParamSpec::name).collect(Collectors.toSet());
        for (String name : given.keySet()) {
            if (!declared.contains(name)) {
                throw new UsageException("-p " + name + ": " + runbook.displayName() + " declares no param '" + name + "'"
                        + (declared.isEmpty() ? " (it declares none)" : " (it declares: " + String.join(", ", declared) + ")"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (ParamSpec p : runbook.params()) {
            String v = given.containsKey(p.name()) ? given.get(p.name())
                    : fromFile.containsKey(p.name()) ? fromFile.get(p.name())
                    : p.defaultValue();
            if (v == null && prompter != null) v = prompter.ask(p.name(), p.description(), p.secret());
            if (v != null && v.isBlank() && p.required()) {
                // -p pw= is a typo or an unset shell variable far more often than a wanted empty password.
                throw new UsageException(runbook.displayName() + ": param " + p.name() + " is required but was given empty: pass -p "
                        + p.name() + "=VALUE");
            }
            if (v == null) {
                missing.add(p.name());
            } else {
                values.put(p.name(), v);
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageException(runbook.displayName() + ": missing required param" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + ": pass " + missing.stream().map(m -> "-p " + m + "=...").collect(Collectors.joining(" ")));
        }
        return values;
    }

    static String weakSecretWarning(String name) {
        return "secret param '" + name + "' is shorter than " + dev.cutover.engine.Redactor.SAFE_LENGTH
                + " characters: it cannot be masked safely in output; use a longer secret";
    }

    static Set<String> secretNames(Runbook runbook) {
        return runbook.params().stream().filter(ParamSpec::secret).map(ParamSpec::name).collect(Collectors.toSet());
    }

    /**
     * Values for the transcript header and reports: secrets masked, and so is a secret's value or a
     * URL password inside any other param (a url param that embeds the secret password).
     */
    static Map<String, String> masked(Runbook runbook, Map<String, String> values) {
        Set<String> secrets = secretNames(runbook);
        dev.cutover.engine.Redactor redactor = new dev.cutover.engine.Redactor();
        for (String name : secrets) redactor.add(values.get(name));
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, secrets.contains(k) ? dev.cutover.engine.Redactor.MASK : redactor.redact(v)));
        return m;
    }
}
