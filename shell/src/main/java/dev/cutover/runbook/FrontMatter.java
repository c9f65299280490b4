package dev.cutover.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The YAML block between {@code ---} lines at the top of a runbook. Parsed with SnakeYAML because
 * params are nested maps ({@code default}, {@code secret}, {@code description}), which the
 * commonmark front-matter extension's flat key/list model cannot express.
 *
 * @param lineCount lines the block occupies, fences included (0 when absent)
 */
record FrontMatter(String title, List<ParamSpec> params, int lineCount) {
    private static final Set<String> PARAM_KEYS = Set.of("default", "secret", "description");
    private static final Set<String> TOP_KEYS = Set.of("title", "params", "description", "tags");

    static final FrontMatter NONE = new FrontMatter(null, List.of(), 0);

    static FrontMatter parse(String file, List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
            return NONE;
        }
        int end = -1;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("---") || l.equals("...")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new RunbookException(new SourceLocation(file, 1, 1),
                    "malformed front matter: opened with --- but never closed with a --- line", lines.get(0));
        }
        String yamlText = String.join("\n", lines.subList(1, end));
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 2 : 2;
            int col = e.getProblemMark() != null ? e.getProblemMark().getColumn() + 1 : 0;
            throw new RunbookException(new SourceLocation(file, line, col),
                    "malformed front matter: " + e.getProblem(), lineAt(lines, line));
        } catch (YAMLException e) {
            throw new RunbookException(new SourceLocation(file, 2), "malformed front matter: " + e.getMessage());
        }
        if (loaded == null) {
            return new FrontMatter(null, List.of(), end + 1);
        }
        if (!(loaded instanceof Map<?, ?> top)) {
            throw new RunbookException(new SourceLocation(file, 2),
                    "malformed front matter: expected 'key: value' lines, found " + describe(loaded), lineAt(lines, 2));
        }
        String title = null;
        List<ParamSpec> params = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = String.valueOf(e.getKey());
            int keyLine = findKeyLine(lines, end, key, 0);
            if (!TOP_KEYS.contains(key)) {
                throw new RunbookException(new SourceLocation(file, keyLine),
                        "malformed front matter: unknown key '" + key + "' (known: title, params, description, tags)",
                        lineAt(lines, keyLine));
            }
            if (key.equals("title")) {
                title = e.getValue() == null ? null : String.valueOf(e.getValue());
            } else if (key.equals("params") && e.getValue() != null) {
                if (!(e.getValue() instanceof Map<?, ?> pm)) {
                    throw new RunbookException(new SourceLocation(file, keyLine),
                            "malformed front matter: params must be a map of name -> default or name -> {default, secret, description}",
                            lineAt(lines, keyLine));
                }
                for (Map.Entry<?, ?> p : pm.entrySet()) {
                    params.add(param(file, lines, end, keyLine, String.valueOf(p.getKey()), p.getValue()));
                }
            }
        }
        return new FrontMatter(title, List.copyOf(params), end + 1);
    }

    private static ParamSpec param(String file, List<String> lines, int end, int paramsLine, String name, Object value) {
        int line = findKeyLine(lines, end, name, paramsLine);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new RunbookException(new SourceLocation(file, line),
                    "malformed front matter: param name '" + name + "' must be an identifier (letters, digits, _)",
                    lineAt(lines, line));
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> spec = new LinkedHashMap<>();
            m.forEach((k, v) -> spec.put(String.valueOf(k), v));
            for (String k : spec.keySet()) {
                if (!PARAM_KEYS.contains(k)) {
                    int kl = findKeyLine(lines, end, k, line);
                    throw new RunbookException(new SourceLocation(file, kl),
                            "malformed front matter: param '" + name + "' has unknown key '" + k
                                    + "' (known: default, secret, description)", lineAt(lines, kl));
                }
            }
            Object def = spec.get("default");
            Object secret = spec.getOrDefault("secret", false);
            if (!(secret instanceof Boolean)) {
                throw new RunbookException(new SourceLocation(file, line),
                        "malformed front matter: param '" + name + "': secret must be true or false", lineAt(lines, line));
            }
            Object desc = spec.get("description");
            return new ParamSpec(name, def == null ? null : String.valueOf(def), (Boolean) secret,
                    desc == null ? null : String.valueOf(desc));
        }
        if (value instanceof List<?>) {
            throw new RunbookException(new SourceLocation(file, line),
                    "malformed front matter: param '" + name + "' must be a value or a map, not a list", lineAt(lines, line));
        }
        return new ParamSpec(name, value == null ? null : String.valueOf(value), false, null);
    }

    /** The 1-based file line where {@code key:} first appears after {@code afterLine}. */
    private static int findKeyLine(List<String> lines, int end, String key, int afterLine) {
        for (int i = Math.max(1, afterLine); i < end; i++) {
            String l = lines.get(i).strip();
            if (l.startsWith(key + ":") || l.startsWith("\"" + key + "\":") || l.startsWith("'" + key + "':")) {
                return i + 1;
            }
        }
        return 2;
    }

    private static String lineAt(List<String> lines, int oneBased) {
        return oneBased >= 1 && oneBased <= lines.size() ? lines.get(oneBased - 1) : null;
    }

    private static String describe(Object o) {
        return o instanceof List ? "a list" : "'" + o + "'";
    }
}
