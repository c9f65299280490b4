package dev.cutover.engine;

import groovy.lang.GroovyRuntimeException;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OutputKind;
import dev.cutover.render.ValueRenderer;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;
import dev.cutover.runbook.Step;
import dev.cutover.runbook.StepKind;

/**
 * The engine of the shell (what JShell calls the engine, as opposed to the tool): one Groovy
 * binding, the open runbook's step states, and the execution of steps and typed lines with
 * cancellation, timeouts and retries. Knows nothing of terminals or files: listeners do.
 */
public final class Notebook implements Session {
    /** How long a cancelled step gets to stop on its own before a timeout escalates. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Registry registry;
    private final GroovyEngine groovy;
    private final Redactor redactor = new Redactor();
    private final SessionBinding binding = new SessionBinding(this);
    private final List<NotebookListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> sessionState = new ConcurrentHashMap<>();
    private final Map<Integer, StepState> states = new ConcurrentHashMap<>();
    private Prompter prompter;
    private boolean dryRun;
    private Runbook runbook;
    private Map<String, Object> params = Map.of();
    private List<String> weakSecrets = List.of();
    private volatile Execution current;
    private volatile StepContext currentContext;
    private volatile Step runningStep;
    private volatile Instant runningSince;

    public Notebook(Registry registry, Prompter prompter) {
        this.registry = registry;
        this.prompter = prompter;
        this.groovy = new GroovyEngine(registry.hyphenatedAliases().keySet());
        binding.setVariable("params", params);
        StdStreamCapture.install();
    }

    /** The state of one step: status, how long its last run took, its last result. */
    public record StepState(StepStatus status, Duration duration, StepResult last) {
    }

    // ---- configuration ----

    public void addListener(NotebookListener listener) {
        listeners.add(listener);
    }

    public void removeListener(NotebookListener listener) {
        listeners.remove(listener);
    }

    public void setPrompter(Prompter prompter) {
        this.prompter = prompter;
    }

    public Prompter prompter() {
        return prompter;
    }

    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Registry registry() {
        return registry;
    }

    public GroovyEngine groovy() {
        return groovy;
    }

    /** Opens a runbook: its steps start pending; variables already set stay (one binding per shell). */
    public void open(Runbook runbook) {
        this.runbook = runbook;
        states.clear();
        for (Step s : runbook.steps()) states.put(s.number(), new StepState(StepStatus.PENDING, null, null));
        precompile(runbook);
    }

    /**
     * Compiles every Groovy block on a background thread while the first steps run: a cold compile
     * costs a few hundred milliseconds, which must not land between two steps of a write freeze.
     * Errors are left for the step itself to report.
     */
    private void precompile(Runbook runbook) {
        Thread t = new Thread(() -> {
            for (Step s : runbook.steps()) {
                if (s.kind() != StepKind.GROOVY) continue;
                try {
                    groovy.compile(s.code(), scriptName(s), s.codeStart());
                } catch (RuntimeException e) {
                    // reported when the step runs (or by check)
                }
            }
        }, "cutover-precompile");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    public Runbook runbook() {
        return runbook;
    }

    /** Sets the params map ({@code params.name} in blocks); values of secret params are masked from here on. */
    public void setParams(Map<String, String> values, java.util.Set<String> secretNames) {
        Map<String, Object> p = new LinkedHashMap<>(values);
        List<String> weak = new ArrayList<>();
        for (String name : secretNames) {
            String v = values.get(name);
            redactor.add(v);
            if (v != null && v.length() < Redactor.SAFE_LENGTH) weak.add(name);
        }
        this.weakSecrets = List.copyOf(weak);
        this.params = Collections.unmodifiableMap(p);
        binding.setVariable("params", this.params);
    }

    public Map<String, Object> params() {
        return params;
    }

    /** Secret params too short to mask without masking ordinary text: the operator is warned. */
    public List<String> weakSecrets() {
        return weakSecrets;
    }

    // ---- state ----

    public StepState state(Step step) {
        return states.getOrDefault(step.number(), new StepState(StepStatus.PENDING, null, null));
    }

    /** Marks steps as recorded by an earlier run (resume). */
    public void restoreState(Step step, StepStatus status, Duration duration) {
        states.put(step.number(), new StepState(status, duration, null));
    }

    /** The first step that is neither ok nor skipped. */
    public Optional<Step> nextPending() {
        if (runbook == null) return Optional.empty();
        return runbook.steps().stream().filter(s -> !state(s).status().done()).findFirst();
    }

    public Map<String, Object> variables() {
        return binding.userVariables();
    }

    /** Sets a variable of the binding (a resumed run gives restored freezes back the names the steps gave them). */
    public void setVariable(String name, Object value) {
        binding.setVariable(name, value);
    }

    public Object variable(String name) {
        return binding.hasVariable(name) ? binding.getVariable(name) : null;
    }

    public boolean isRunning() {
        return current != null;
    }

    public Step runningStep() {
        return runningStep;
    }

    public Instant runningSince() {
        return runningSince;
    }

    /** The running execution's context, or a quiet one between steps. */
    dev.cutover.spi.CommandContext liveContext() {
        StepContext c = currentContext;
        return c != null ? c : new StepContext(this, new Execution());
    }

    /** A context outside any step, for what the shell does on its own (undoing freezes on the way out). */
    public CommandContext detachedContext() {
        return new StepContext(this, new Execution());
    }

    /** Closes what the session opened (SSH connections, JDBC connections). */
    public void close() {
        for (Object state : sessionState.values()) {
            if (state instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at exit: nothing useful to do with a failure
                }
            }
        }
        sessionState.clear();
    }

    @SuppressWarnings("unchecked")
    public <T> T sessionState(Class<T> type, Supplier<T> create) {
        return (T) sessionState.computeIfAbsent(type, k -> create.get());
    }

    // ---- running ----

    /** Compiles a step without running it (for check); throws RunbookException with the runbook line. */
    public void compile(Step step) {
        if (step.kind() == StepKind.GROOVY) {
            groovy.compile(step.code(), scriptName(step), step.codeStart());
        } else if (step.code().isBlank()) {
            throw new RunbookException(step.codeStart(), "empty sql block");
        }
    }

    public StepResult skip(Step step) {
        StepResult r = new StepResult(StepStatus.SKIPPED, null, List.of(), List.of(), Instant.now(), Duration.ZERO, null, null);
        states.put(step.number(), new StepState(StepStatus.SKIPPED, Duration.ZERO, r));
        for (NotebookListener l : listeners) {
            l.stepStarted(step, 1, false, r.started());
            l.stepFinished(step, r);
        }
        return r;
    }

    /** Runs a step (with its retries and timeout); blocks until it ends or is cancelled. */
    public StepResult runStep(Step step) {
        Optional<Step> expected = nextPending();
        boolean outOfOrder = expected.isPresent() && step.number() > expected.get().number();
        int attempts = 1 + step.flags().retry();
        StepResult result = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Instant started = Instant.now();
            for (NotebookListener l : listeners) l.stepStarted(step, attempt, outOfOrder, started);
            Attempt a = execute(step, null, started);
            result = a.result();
            for (NotebookListener l : listeners) l.stepFinished(step, result);
            if (result.status() != StepStatus.FAILED || attempt == attempts) break;
            if (a.abandoned()) {
                // Its thread may still be at work: a second attempt beside it could do everything twice.
                emit(OutputKind.WARN, "attempt " + attempt + " of " + attempts + " did not stop after its timeout; not retrying beside it");
                break;
            }
            emit(OutputKind.WARN, "attempt " + attempt + " of " + attempts + " failed; retrying");
        }
        states.put(step.number(), new StepState(result.status(), result.duration(), result));
        return result;
    }

    /** Evaluates a typed line in the shared binding. */
    public StepResult eval(String code) {
        Instant started = Instant.now();
        String shown = redactor.redact(code);
        for (NotebookListener l : listeners) l.evalStarted(shown, started);
        StepResult result = execute(null, code, started).result();
        for (NotebookListener l : listeners) l.evalFinished(shown, result);
        return result;
    }

    /** An operator's annotation. */
    public void note(String text) {
        String t = redactor.redact(text);
        Instant now = Instant.now();
        StdStreamCapture.passThrough(() -> {
            for (NotebookListener l : listeners) l.note(t, now);
        });
    }

    /**
     * Ctrl-C: the first call cancels the running step, a second one stops its thread outright.
     * Returns false when nothing is running.
     */
    public boolean cancelCurrent() {
        Execution e = current;
        if (e == null) return false;
        if (!e.cancel("interrupted by the operator (Ctrl-C)")) e.escalate();
        return true;
    }

    /** The process is going away (a signal, or an exit the compile check could not see): stop the running step, saying why. */
    public void cancelForExit() {
        Execution e = current;
        if (e != null) e.cancel("cutover is exiting (a signal, or an exit reached at run time)");
    }

    /** One attempt's result; abandoned when its thread would not stop and was left running. */
    private record Attempt(StepResult result, boolean abandoned) {
    }

    private Attempt execute(Step step, String typedCode, Instant started) {
        Execution execution = new Execution();
        StepContext ctx = new StepContext(this, execution);
        Object[] outcome = new Object[2]; // value, throwable
        long t0 = System.nanoTime();
        StdStreamCapture.Sink stray = new StdStreamCapture.Sink(line -> emit(OutputKind.OUT, line), line -> emit(OutputKind.ERR, line));
        Thread worker = new Thread(() -> {
            StdStreamCapture.attach(stray);
            try {
                outcome[0] = step != null ? runStepCode(step) : runTyped(typedCode);
            } catch (Throwable t) {
                outcome[1] = t;
            } finally {
                StdStreamCapture.detach();
            }
        }, step != null ? "cutover-step-" + step.number() : "cutover-eval");
        worker.setDaemon(true);
        execution.thread = worker;
        current = execution;
        currentContext = ctx;
        runningStep = step;
        runningSince = started;
        try {
            worker.start();
            waitFor(worker, execution, step == null ? null : step.flags().timeout());
        } finally {
            current = null;
            currentContext = null;
            runningStep = null;
            runningSince = null;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        List<String> actions = ctx.actions();
        if (worker.isAlive()) {
            StepStatus status = execution.timedOut() ? StepStatus.FAILED : StepStatus.INTERRUPTED;
            return new Attempt(new StepResult(status, null, List.of(), actions, started, took,
                    where(step, null, status) + redactor.redact(execution.cancelReason()) + "; its thread did not stop and was abandoned", null), true);
        }
        Throwable failure = (Throwable) outcome[1];
        if (failure == null && execution.isCancelled()) {
            failure = new InterruptedException(execution.cancelReason());
        }
        if (failure == null) {
            List<String> lines = ValueRenderer.lines(outcome[0]).stream().map(redactor::redact).toList();
            return new Attempt(new StepResult(StepStatus.OK, outcome[0], lines, actions, started, took, null, null), false);
        }
        Throwable cause = unwrap(failure);
        StepStatus status;
        String message;
        if (execution.timedOut()) {
            // A step that overran its limit failed: retry= and continue-on-error apply, exit 1, not 130.
            status = StepStatus.FAILED;
            message = execution.cancelReason();
            if (cause instanceof CommandException ce && ce.getMessage() != null) message += ": " + ce.getMessage();
        } else if (execution.isCancelled() || cause instanceof InterruptedException || cause instanceof ThreadDeath) {
            status = StepStatus.INTERRUPTED;
            message = execution.isCancelled() ? execution.cancelReason() : "interrupted";
            // What the command said on its way out (what it left behind, how to go back) must not be lost.
            if (cause instanceof CommandException ce && ce.getMessage() != null) message += ": " + ce.getMessage();
        } else if (cause instanceof CommandException ce && ce.isRefusal()) {
            status = StepStatus.REFUSED;
            message = ce.getMessage();
        } else {
            status = StepStatus.FAILED;
            message = describe(cause);
        }
        String verb = status == StepStatus.REFUSED ? "refused" : status == StepStatus.INTERRUPTED ? "interrupted" : "failed";
        String error;
        if (cause instanceof RunbookException re) {
            error = (step != null ? step.label() + " " + verb + " at " : "") + re.oneLine();
        } else {
            SourceLocation at = locate(step, cause);
            error = (step != null ? step.label() + " " + verb + " at " + at : at.toString()) + ": " + message;
        }
        return new Attempt(new StepResult(status, null, List.of(), actions, started, took, redactor.redact(error),
                redactor.redact(stackTrace(failure))), false);
    }

    private void waitFor(Thread worker, Execution execution, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (worker.isAlive()) {
            try {
                worker.join(50);
            } catch (InterruptedException e) {
                execution.cancel("interrupted");
            }
            long now = System.nanoTime();
            if (now > deadline && !execution.isCancelled()) {
                execution.timeOut(timeout);
            }
            if (execution.isCancelled()) {
                long since = now - execution.cancelledAtNanos();
                // A timeout has no operator to press Ctrl-C twice: escalate by itself after the grace.
                if (since > GRACE.toNanos() && !execution.escalated() && now > deadline) execution.escalate();
                if (execution.escalated() && since > GRACE.toNanos() * 3) return; // abandon
            }
        }
    }

    private Object runStepCode(Step step) throws Exception {
        if (step.kind() == StepKind.SQL) {
            Object server = binding.hasVariable(step.target()) ? binding.getVariable(step.target()) : null;
            if (server == null) {
                throw new CommandException("this sql block runs on '" + step.target() + "', but no variable '"
                        + step.target() + "' is set: run the step that connects it first ("
                        + step.target() + " = connect ...)");
            }
            return InvokerHelper.invokeMethod(server, "sql", new Object[] {step.code()});
        }
        CompiledBlock block = groovy.compile(step.code(), scriptName(step), step.codeStart());
        Script script = groovy.instantiate(block, binding);
        binding.keepFunctions(script);
        return script.run();
    }

    private Object runTyped(String code) {
        CompiledBlock block = groovy.compile(code, "typed", new SourceLocation("<input>", 1));
        Script script = groovy.instantiate(block, binding);
        binding.keepFunctions(script);
        return script.run();
    }

    private static String scriptName(Step step) {
        return "Step" + step.number();
    }

    // ---- Session: what scripts call ----

    @Override
    public Object invokeCommand(String name, Object[] args) {
        Command command = registry.find(name).orElseThrow();
        StepContext ctx = currentContext;
        if (ctx == null) throw new IllegalStateException(name + " called outside a step");
        Map<String, Object> named = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>(Arrays.asList(args));
        if (!positional.isEmpty() && positional.get(0) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> named.put(String.valueOf(k), v));
            positional.remove(0);
        }
        try {
            Invocation call = new Invocation(command.name(), named, positional).checkOptions(command.options());
            return command.run(ctx, call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandWrapped(e);
        }
    }

    @Override
    public void print(String text) {
        for (String line : text.split("\n", -1)) emit(OutputKind.OUT, line);
    }

    void emit(OutputKind kind, String line) {
        String l = redactor.redact(line);
        StdStreamCapture.passThrough(() -> {
            for (NotebookListener listener : listeners) listener.output(kind, l);
        });
    }

    void commandEvent(String type, Map<String, Object> data, Instant at) {
        if (type.equals("note")) {
            note(String.valueOf(data.get("text")));
            return;
        }
        // Event data reaches the transcript and the screen: a secret in a freeze's command must not.
        Map<String, Object> shown = redactor.redactValues(data);
        StdStreamCapture.passThrough(() -> {
            for (NotebookListener l : listeners) l.event(type, shown, at);
        });
    }

    // ---- errors ----

    /** Checked exceptions from commands travel through Groovy wrapped in this. */
    static final class CommandWrapped extends RuntimeException {
        CommandWrapped(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CommandWrapped || c instanceof InvokerInvocationException
                || c instanceof InvocationTargetException || c instanceof java.lang.reflect.UndeclaredThrowableException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private String describe(Throwable t) {
        if (t instanceof CommandException) return t.getMessage();
        if (t instanceof MissingPropertyException mpe && isScript(mpe.getType())) {
            return "unknown variable '" + mpe.getProperty() + "'" + hintVariables();
        }
        if (t instanceof MissingMethodException mme && isScript(mme.getType())) {
            return "unknown command or function '" + mme.getMethod() + "'" + suggest(mme.getMethod());
        }
        if (t instanceof GroovyRuntimeException g && g.getMessage() != null) {
            return g.getMessageWithoutLocationText();
        }
        String msg = t.getMessage();
        String type = t.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? type : (t instanceof RuntimeException && type.equals("RuntimeException") ? msg : type + ": " + msg);
    }

    private static boolean isScript(Class<?> type) {
        return type != null && Script.class.isAssignableFrom(type);
    }

    private String hintVariables() {
        List<String> vars = new ArrayList<>(variables().keySet());
        return vars.isEmpty() ? " (no variables are set yet)" : " (set: " + String.join(", ", vars) + ")";
    }

    private String suggest(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return registry.all().stream().map(Command::name)
                .filter(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith(lower.substring(0, Math.min(3, lower.length()))))
                .findFirst().map(n -> "; did you mean " + n + "?")
                .orElse("; built-ins: " + String.join(", ", registry.all().stream().map(Command::name).toList()));
    }

    /** The runbook line a runtime error happened on, from the script's stack frame. */
    private SourceLocation locate(Step step, Throwable t) {
        String scriptName = step == null ? "typed" : scriptName(step);
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                String cls = e.getClassName();
                if ((cls.equals(scriptName) || cls.startsWith(scriptName + "$")) && e.getLineNumber() > 0) {
                    return step == null ? new SourceLocation("<input>", e.getLineNumber())
                            : step.locationOf(e.getLineNumber(), 0);
                }
            }
        }
        return step == null ? new SourceLocation("<input>", 1) : step.codeStart();
    }

    private static String where(Step step, SourceLocation at, StepStatus status) {
        return step == null ? "" : step.label() + " " + status.word() + " at " + (at == null ? step.codeStart() : at) + ": ";
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
