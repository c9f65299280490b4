package dev.cutover.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutover.spi.Command;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepState;
import dev.cutover.engine.StepStatus;
import dev.cutover.render.TextTable;
import dev.cutover.spi.Durations;
import dev.cutover.runbook.ParamSpec;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.RunbookParser;
import dev.cutover.runbook.Step;
import dev.cutover.transcript.HtmlRenderer;
import dev.cutover.transcript.RenderTarget;

/** The shell's controls: lines starting with '/'. */
final class Controls {
    static final List<String> NAMES = List.of("/open", "/steps", "/next", "/run", "/show", "/skip", "/note", "/params",
            "/vars", "/render", "/help", "/exit");

    private final Repl repl;
    private final Notebook notebook;

    Controls(Repl repl) {
        this.repl = repl;
        this.notebook = repl.notebook();
    }

    void run(String line) {
        String[] parts = line.split("\\s+", 2);
        String name = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "/open" -> open(arg);
            case "/steps" -> steps();
            case "/next" -> next();
            case "/run" -> runSteps(arg);
            case "/show" -> show(arg);
            case "/skip" -> skip(arg);
            case "/note" -> note(arg);
            case "/params" -> params();
            case "/vars" -> vars();
            case "/render" -> render(arg);
            case "/help" -> help();
            case "/exit", "/quit" -> repl.exitShell();
            default -> say("unknown control " + name + " (controls: " + String.join(" ", NAMES) + "); Groovy lines do not start with /");
        }
    }

    private void open(String arg) {
        if (arg.isEmpty()) {
            say("/open FILE.md");
            return;
        }
        try {
            Runbook rb = new RunbookParser().parse(Path.of(arg));
            for (Step s : rb.steps()) notebook.compile(s);
            repl.open(rb, Map.of());
        } catch (RunbookException e) {
            repl.printer().error(notebook.redactor().maskInPlace(e.detailed()));
        } catch (IOException e) {
            say("cannot read " + arg + ": " + e.getMessage());
        }
    }

    private void steps() {
        Runbook rb = requireRunbook();
        if (rb == null) return;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Step s : rb.steps()) {
            StepState st = notebook.state(s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("#", s.number());
            row.put("status", ConsolePrinter.symbol(st.status()) + " " + st.status().word());
            row.put("id", s.id());
            row.put("title", s.title());
            row.put("time", st.duration() == null ? "" : Durations.format(st.duration()));
            row.put("flags", s.flags().describe());
            rows.add(row);
        }
        repl.printer().lines(TextTable.render(rows).subList(0, rows.size() + 2));
    }

    private void next() {
        Runbook rb = requireRunbook();
        if (rb == null) return;
        Optional<Step> next = notebook.nextPending();
        if (next.isEmpty()) {
            say("every step is done (/steps). /run N runs one again.");
            return;
        }
        Step s = next.get();
        printCode(s);
        String q = "Run step " + s.number() + " (" + s.id() + ")?";
        if (!notebook.prompter().confirm(q)) {
            say("not run. /skip " + s.id() + " skips it; /next asks again.");
            return;
        }
        notebook.runStep(s);
    }

    private void runSteps(String arg) {
        Runbook rb = requireRunbook();
        if (rb == null) return;
        if (arg.equals("all")) {
            for (Step s : rb.steps()) {
                if (notebook.state(s).status().done()) continue;
                if (!runOne(s)) {
                    say("stopped at " + s.label() + "; fix and /run " + s.id() + ", or /skip it");
                    return;
                }
            }
            say("all steps done.");
            return;
        }
        Step s = findStep(arg);
        if (s != null) runOne(s);
    }

    /** Runs one step, asking first when it is marked confirm. Returns true when it ended ok (or may be passed). */
    private boolean runOne(Step s) {
        if (s.flags().confirm()) {
            printCode(s);
            if (!notebook.prompter().confirm(s.label() + " is marked confirm. Run it?")) {
                say("not run.");
                return false;
            }
        }
        StepResult r = notebook.runStep(s);
        return r.ok() || s.flags().continueOnError();
    }

    private void show(String arg) {
        Step s = arg.isEmpty() ? notebook.nextPending().orElse(null) : findStep(arg);
        if (s == null) {
            if (arg.isEmpty()) say("/show N|id");
            return;
        }
        printCode(s);
        StepState st = notebook.state(s);
        say("  status: " + st.status().word() + (st.duration() == null ? "" : " in " + Durations.format(st.duration())));
        if (st.last() != null && st.last().error() != null) say("  error: " + st.last().error());
    }

    private void skip(String arg) {
        Step s = findStep(arg);
        if (s == null) return;
        notebook.skip(s);
        say("skipped " + s.label());
    }

    private void note(String text) {
        if (text.isEmpty()) {
            say("/note TEXT");
            return;
        }
        notebook.note(text);
    }

    private void params() {
        Runbook rb = notebook.runbook();
        if (rb == null || rb.params().isEmpty()) {
            say("no params" + (rb == null ? " (no runbook open)" : ""));
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParamSpec p : rb.params()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("param", p.name());
            Object v = notebook.params().get(p.name());
            row.put("value", p.secret() ? "******" : v);
            row.put("description", p.description() == null ? "" : p.description());
            rows.add(row);
        }
        repl.printer().lines(TextTable.render(rows).subList(0, rows.size() + 2));
    }

    private void vars() {
        Map<String, Object> vars = notebook.variables();
        if (vars.isEmpty()) {
            say("no variables yet (assign without def to keep one: old = connect ...)");
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        vars.forEach((k, v) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variable", k);
            row.put("type", v == null ? "null" : v.getClass().getSimpleName());
            row.put("value", notebook.redactor().redact(String.valueOf(v)));
            rows.add(row);
        });
        repl.printer().lines(TextTable.render(rows).subList(0, rows.size() + 2));
    }

    private void render(String arg) {
        if (repl.transcript() == null) {
            say("no transcript to render");
            return;
        }
        Path md = repl.transcript().path();
        Path html = arg.isEmpty() ? Path.of(md.toString().replaceFirst("\\.md$", "") + ".html") : Path.of(arg);
        try {
            var refusal = RenderTarget.check(md, html, false);
            if (refusal.isPresent()) {
                say("cannot render: " + refusal.get().reason() + (refusal.get().forceOverrides() ? "; remove it or name another file" : ""));
                return;
            }
            new HtmlRenderer().render(md, html);
            say("rendered " + md + " -> " + html);
        } catch (IOException e) {
            say("cannot render: " + e.getMessage());
        }
    }

    private void help() {
        List<String> lines = new ArrayList<>(List.of(
                "Controls:",
                "  /open FILE        open a runbook",
                "  /steps            list the steps with their status and time",
                "  /next             show the next pending step, ask, run it",
                "  /run N|id|all     run one step, or every pending step in order",
                "  /show N|id        show a step's code and status",
                "  /skip N|id        mark a step skipped",
                "  /note TEXT        annotate the transcript",
                "  /params  /vars    the runbook's params; the variables set so far",
                "  /render [FILE]    the transcript as HTML",
                "  /exit             leave (Ctrl-D too)",
                "Anything else is Groovy, in one binding shared with the steps (x = ... keeps x; def x does not).",
                "Built-ins:"));
        for (Command c : notebook.registry().all()) {
            lines.add(String.format("  %-12s %s", c.hyphenated(), c.summary()));
            lines.add(String.format("  %-12s   %s", "", c.usage()));
        }
        repl.printer().lines(lines);
    }

    private void printCode(Step s) {
        List<String> lines = new ArrayList<>();
        lines.add("── " + s.label() + " · " + s.title() + " · " + s.codeStart()
                + (s.flags().describe().isEmpty() ? "" : " [" + s.flags().describe() + "]"));
        String lang = s.kind() == dev.cutover.runbook.StepKind.SQL ? "sql on " + s.target() : "groovy";
        lines.add("   (" + lang + ")");
        for (String l : s.code().split("\n", -1)) lines.add("   " + notebook.redactor().redact(l));
        repl.printer().lines(lines);
    }

    private Step findStep(String arg) {
        Runbook rb = requireRunbook();
        if (rb == null) return null;
        if (arg.isEmpty()) {
            say("which step? give its number or id (/steps lists them)");
            return null;
        }
        Optional<Step> s = rb.find(arg);
        if (s.isEmpty()) say("no step " + arg + " (steps 1-" + rb.steps().size() + "; /steps lists ids)");
        return s.orElse(null);
    }

    private Runbook requireRunbook() {
        if (notebook.runbook() == null) say("no runbook open: /open FILE.md");
        return notebook.runbook();
    }

    private void say(String text) {
        repl.printer().info(text);
    }

    static boolean isDone(StepStatus s) {
        return s.done();
    }
}
