package dev.cutover.runbook;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The front matter's YAML as the author wrote it: SnakeYAML's node tree, never constructed into
 * Java values, so {@code 13.10}, {@code 05432}, {@code off} or {@code 2024-01-01} stay that text
 * instead of YAML 1.1's 13.1, 2842, false or a Date. Every node knows its line in the Markdown file,
 * which is what errors point at.
 */
final class YamlText {
    private final String file;
    private final List<String> lines;
    private final int firstLine;

    /**
     * @param lines     the runbook's lines
     * @param firstLine the file line (1-based) of the YAML's first line: 2, after the opening ---
     */
    YamlText(String file, List<String> lines, int firstLine) {
        this.file = file;
        this.lines = lines;
        this.firstLine = firstLine;
    }

    /** The root node, or null for an empty document. */
    Node compose(String yaml) {
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            throw syntaxError(e, yaml.split("\n", -1).length);
        } catch (YAMLException e) {
            throw new RunbookException(new SourceLocation(file, firstLine), "malformed front matter: " + oneLine(e.getMessage()));
        }
    }

    private RunbookException syntaxError(MarkedYAMLException e, int yamlLines) {
        Mark problem = e.getProblemMark();
        Mark context = e.getContextMark();
        // At the end of the block the problem is what was left open (a quote, a bracket): point there.
        boolean atEnd = problem == null || problem.getLine() >= yamlLines - 1 && e.getProblem() != null
                && e.getProblem().contains("end of stream");
        Mark at = atEnd && context != null ? context : problem;
        String message = e.getProblem() != null ? e.getProblem() : e.getContext();
        if (e.getContext() != null && context != null && (at != context || e.getProblem() != null)) {
            message += " (" + e.getContext() + (at == context ? "" : " from line " + (context.getLine() + firstLine)) + ")";
        }
        SourceLocation where = at == null ? new SourceLocation(file, firstLine)
                : new SourceLocation(file, at.getLine() + firstLine, at.getColumn() + 1);
        return new RunbookException(where, "malformed front matter: " + oneLine(message), lineAt(where.line()));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    SourceLocation at(Node node) {
        Mark m = node.getStartMark();
        return new SourceLocation(file, m.getLine() + firstLine, m.getColumn() + 1);
    }

    RunbookException error(Node node, String message) {
        SourceLocation at = at(node);
        return new RunbookException(at, "malformed front matter: " + message, lineAt(at.line()));
    }

    private String lineAt(int oneBased) {
        return oneBased >= 1 && oneBased <= lines.size() ? lines.get(oneBased - 1) : null;
    }

    /** A plain value left empty ({@code name:}) is no value; {@code ""} is the empty text. */
    static boolean isAbsent(Node node) {
        return node instanceof ScalarNode s && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && s.getValue().isEmpty();
    }

    /** The text of a scalar as written (null when absent); an error naming {@code what} for a list or map. */
    String text(Node node, String what) {
        if (node instanceof ScalarNode s) return isAbsent(s) ? null : s.getValue();
        throw error(node, what + " must be a single value, not " + (node instanceof SequenceNode ? "a list" : "a map"));
    }

    /** A mapping's entries by key text, in order; a key given twice is an error at its second use. */
    Map<String, NodeTuple> entries(MappingNode map, String what) {
        Map<String, NodeTuple> out = new java.util.LinkedHashMap<>();
        Map<String, Node> firstKey = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = text(t.getKeyNode(), "a key");
            if (key == null) throw error(t.getKeyNode(), "empty key");
            Node first = firstKey.putIfAbsent(key, t.getKeyNode());
            if (first != null) {
                throw error(t.getKeyNode(), String.format(what, key) + " is given twice (first at line " + at(first).line() + ")");
            }
            out.put(key, t);
        }
        return out;
    }
}
