package dev.cutover.ui;

import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import dev.cutover.spi.Command;
import dev.cutover.spi.OptionSpec;
import dev.cutover.engine.Notebook;
import dev.cutover.runbook.Step;

/**
 * Tab completion: controls at the start of a line, step ids after /run /show /skip, built-in names
 * and variables in Groovy, and a built-in's named options ({@code url:}) once its name is typed.
 */
final class ShellCompleter implements Completer {
    private final Notebook notebook;
    private final List<String> controls;
    private final Supplier<List<String>> stepArgs;

    ShellCompleter(Notebook notebook, List<String> controls) {
        this.notebook = notebook;
        this.controls = controls;
        this.stepArgs = () -> {
            if (notebook.runbook() == null) return List.of();
            List<String> ids = new java.util.ArrayList<>();
            for (Step s : notebook.runbook().steps()) ids.add(s.id());
            return ids;
        };
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        String text = line.line().substring(0, line.cursor());
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("/")) {
            if (line.wordIndex() == 0) {
                for (String c : controls) out.add(new Candidate(c, c, "controls", null, null, null, true));
            } else {
                String control = line.words().get(0);
                if (List.of("/run", "/show", "/skip").contains(control)) {
                    for (String id : stepArgs.get()) out.add(new Candidate(id, id, "steps", null, null, null, true));
                    if (control.equals("/run")) out.add(new Candidate("all", "all", "steps", "run every pending step", null, null, true));
                }
            }
            return;
        }
        Command current = commandOnLine(trimmed);
        if (current != null && line.wordIndex() > 0) {
            for (OptionSpec o : current.options()) {
                out.add(new Candidate(o.name() + ":", o.name() + ":", current.name() + " options", o.description(), null, null, false));
            }
        }
        for (Command c : notebook.registry().all()) {
            out.add(new Candidate(c.name(), c.name(), "built-ins", c.summary(), null, null, true));
            if (!c.hyphenated().equals(c.name())) {
                out.add(new Candidate(c.hyphenated(), c.hyphenated(), "built-ins", c.summary(), null, null, true));
            }
        }
        for (String v : notebook.variables().keySet()) out.add(new Candidate(v, v, "variables", null, null, null, true));
        out.add(new Candidate("params", "params", "variables", "the runbook's params", null, null, true));
    }

    private Command commandOnLine(String text) {
        String rest = text.replaceFirst("^[A-Za-z_][A-Za-z0-9_]*\\s*=\\s*", "");
        int end = 0;
        while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '-')) end++;
        if (end == 0 || end == rest.length()) return null;
        return notebook.registry().find(rest.substring(0, end)).orElse(null);
    }
}
