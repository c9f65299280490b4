package dev.cutover.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The YAML block between {@code ---} lines at the top of a runbook. Parsed with SnakeYAML because
 * params are nested maps ({@code default}, {@code secret}, {@code description}), which the
 * commonmark front-matter extension's flat key/list model cannot express. Values are read as the
 * text the author wrote ({@link YamlText}); an empty value ({@code name:}) means none.
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
        YamlText yaml = new YamlText(file, lines, 2);
        Node root = yaml.compose(String.join("\n", lines.subList(1, end)));
        if (root == null || YamlText.isAbsent(root)) {
            return new FrontMatter(null, List.of(), end + 1);
        }
        if (!(root instanceof MappingNode top)) {
            throw yaml.error(root, "expected 'key: value' lines, found " + (root instanceof SequenceNode ? "a list" : "'" + yaml.text(root, "") + "'"));
        }
        String title = null;
        List<ParamSpec> params = new ArrayList<>();
        for (Map.Entry<String, NodeTuple> e : yaml.entries(top, "key '%s'").entrySet()) {
            String key = e.getKey();
            Node value = e.getValue().getValueNode();
            if (!TOP_KEYS.contains(key)) {
                throw yaml.error(e.getValue().getKeyNode(), "unknown key '" + key + "' (known: title, params, description, tags)");
            }
            if (key.equals("title")) {
                title = yaml.text(value, "title");
            } else if (key.equals("params") && !YamlText.isAbsent(value)) {
                if (!(value instanceof MappingNode pm)) {
                    throw yaml.error(e.getValue().getKeyNode(),
                            "params must be a map of name -> default or name -> {default, secret, description}");
                }
                for (Map.Entry<String, NodeTuple> p : yaml.entries(pm, "param '%s'").entrySet()) {
                    params.add(param(yaml, p.getKey(), p.getValue()));
                }
            }
        }
        return new FrontMatter(title, List.copyOf(params), end + 1);
    }

    private static ParamSpec param(YamlText yaml, String name, NodeTuple entry) {
        Node value = entry.getValueNode();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw yaml.error(entry.getKeyNode(), "param name '" + name + "' must be an identifier (letters, digits, _)");
        }
        if (value instanceof SequenceNode) {
            throw yaml.error(entry.getKeyNode(), "param '" + name + "' must be a value or a map, not a list");
        }
        if (!(value instanceof MappingNode m)) {
            return new ParamSpec(name, yaml.text(value, "param '" + name + "'"), false, null);
        }
        Map<String, NodeTuple> spec = yaml.entries(m, "param '" + name + "': key '%s'");
        for (Map.Entry<String, NodeTuple> k : spec.entrySet()) {
            if (!PARAM_KEYS.contains(k.getKey())) {
                throw yaml.error(k.getValue().getKeyNode(), "param '" + name + "' has unknown key '" + k.getKey()
                        + "' (known: default, secret, description)");
            }
        }
        String def = spec.containsKey("default") ? yaml.text(spec.get("default").getValueNode(), "param '" + name + "': default") : null;
        String description = spec.containsKey("description")
                ? yaml.text(spec.get("description").getValueNode(), "param '" + name + "': description") : null;
        return new ParamSpec(name, def, secret(yaml, name, spec.get("secret")), description);
    }

    /** Only true or false: a secret that silently became a plain param would be shown on the screen. */
    private static boolean secret(YamlText yaml, String name, NodeTuple entry) {
        if (entry == null) return false;
        String text = yaml.text(entry.getValueNode(), "param '" + name + "': secret");
        String word = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (word.equals("true")) return true;
        if (word.equals("false")) return false;
        throw yaml.error(entry.getValueNode(), "param '" + name + "': secret must be true or false, not '" + (text == null ? "" : text) + "'");
    }
}
