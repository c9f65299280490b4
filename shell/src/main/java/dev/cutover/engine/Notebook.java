package dev.cutover.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OutputKind;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.render.ValueRenderer;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.Step;

/**
 * The engine of the shell (what JShell calls the engine, as opposed to the tool): one Groovy
 * binding, the open runbook's step states, and the execution of steps and typed lines with
 * cancellation, timeouts and retries. Knows nothing of terminals or files: listeners do.
 */
public final class Notebook implements Session {
    private final Registry registry;
    private final GroovyEngine groovy;
    private final FailureReport failures;
    private final Redactor redactor = new Redactor();
    private final SessionBinding binding = new SessionBinding(this);
    private final StepCode code;
    private final Listeners listeners = new Listeners();
    private final SessionObjects sessionObjects = new SessionObjects();
    private final Map<Integer, StepState> states = new ConcurrentHashMap<>();
    private Prompter prompter;
    private boolean dryRun;
    private Runbook runbook;
    private ParamValues params = ParamValues.NONE;
    private volatile Execution current;
    private volatile StepContext currentContext;
    private volatile Step runningStep;
    private volatile Instant runningSince;

    public Notebook(Registry registry, Prompter prompter) {
        this.registry = registry;
        this.prompter = prompter;
        this.groovy = new GroovyEngine(registry.hyphenatedAliases().keySet());
        this.code = new StepCode(groovy, binding);
        this.failures = new FailureReport(registry, () -> variables().keySet(), redactor);
        binding.setVariable("params", params.values());
        // A session starts knowing the operator's PGPASSWORD: a block printing it, or a server message quoting it, is masked.
        redactor.addEnvironment(System.getenv());
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
        for (Step s : runbook.steps()) states.put(s.number(), StepState.PENDING);
        groovy.precompileInBackground(runbook);
    }

    public Runbook runbook() {
        return runbook;
    }

    /** Sets the params map ({@code params.name} in blocks); values of secret params are masked from here on. */
    public void setParams(Map<String, String> values, java.util.Set<String> secretNames) {
        params = ParamValues.of(values, secretNames, redactor);
        binding.setVariable("params", params.values());
    }

    public Map<String, Object> params() {
        return params.values();
    }

    /** Secret params too short to mask without masking ordinary text: the operator is warned. */
    public List<String> weakSecrets() {
        return params.weakSecrets();
    }

    // ---- state ----

    public StepState state(Step step) {
        return states.getOrDefault(step.number(), StepState.PENDING);
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
        sessionObjects.close();
    }

    public <T> T sessionState(Class<T> type, Supplier<T> create) {
        return sessionObjects.get(type, create);
    }

    // ---- running ----

    /** Compiles a step without running it (for check); throws RunbookException with the runbook line. */
    public void compile(Step step) {
        code.compile(step);
    }

    public StepResult skip(Step step) {
        StepResult r = new StepResult(StepStatus.SKIPPED, null, List.of(), List.of(), Instant.now(), Duration.ZERO, null, null);
        states.put(step.number(), new StepState(StepStatus.SKIPPED, Duration.ZERO, r));
        listeners.stepStarted(step, 1, false, r.started());
        listeners.stepFinished(step, r);
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
            listeners.stepStarted(step, attempt, outOfOrder, started);
            Attempt a = execute(step, null, started);
            result = a.result();
            listeners.stepFinished(step, result);
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
        listeners.evalStarted(shown, started);
        StepResult result = execute(null, code, started).result();
        listeners.evalFinished(shown, result);
        return result;
    }

    /** An operator's annotation. */
    public void note(String text) {
        String t = redactor.redact(text);
        Instant now = Instant.now();
        StdStreamCapture.passThrough(() -> {
            listeners.note(t, now);
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
        long t0 = System.nanoTime();
        StdStreamCapture.Sink stray = new StdStreamCapture.Sink(line -> emit(OutputKind.OUT, line), line -> emit(OutputKind.ERR, line));
        current = execution;
        currentContext = ctx;
        runningStep = step;
        runningSince = started;
        StepThread.Outcome outcome;
        try {
            outcome = StepThread.run(step != null ? "cutover-step-" + step.number() : "cutover-eval", execution,
                    step == null ? null : step.flags().timeout(), stray, () -> step != null ? code.run(step) : code.runTyped(typedCode));
        } finally {
            current = null;
            currentContext = null;
            runningStep = null;
            runningSince = null;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        List<String> actions = ctx.actions();
        if (outcome.alive()) {
            StepStatus status = execution.timedOut() ? StepStatus.FAILED : StepStatus.INTERRUPTED;
            return new Attempt(new StepResult(status, null, List.of(), actions, started, took,
                    FailureReport.where(step, null, status) + redactor.redact(execution.cancelReason()) + "; its thread did not stop and was abandoned", null), true);
        }
        Throwable failure = outcome.failure();
        if (failure == null && execution.isCancelled()) {
            failure = new InterruptedException(execution.cancelReason());
        }
        if (failure == null) {
            List<String> lines = ValueRenderer.lines(outcome.value()).stream().map(redactor::redact).toList();
            return new Attempt(new StepResult(StepStatus.OK, outcome.value(), lines, actions, started, took, null, null), false);
        }
        return new Attempt(failures.result(step, execution, failure, actions, started, took), false);
    }

    // ---- Session: what scripts call ----

    @Override
    public Object invokeCommand(String name, Object[] args) {
        Command command = registry.find(name).orElseThrow();
        StepContext ctx = currentContext;
        if (ctx == null) throw new IllegalStateException(name + " called outside a step");
        try {
            Invocation call = Invocation.of(command.name(), args).checkOptions(command.options());
            return command.run(ctx, call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandWrapped(e);
        }
    }

    @Override
    public void print(String text) {
        // Masked whole before the split: a multi-line secret printed at once is replaced as one value.
        for (String line : redactor.redact(text).split("\n", -1)) emit(OutputKind.OUT, line);
    }

    void emit(OutputKind kind, String line) {
        String l = redactor.redact(line);
        StdStreamCapture.passThrough(() -> {
            listeners.output(kind, l);
        });
    }

    void commandEvent(String type, Map<String, Object> data, Instant at) {
        if (type.equals(RecordedEvent.NOTE)) {
            note(String.valueOf(data.get("text")));
            return;
        }
        // Event data reaches the transcript and the screen: a secret in a freeze's command must not.
        Map<String, Object> shown = redactor.redactValues(data);
        StdStreamCapture.passThrough(() -> {
            listeners.event(type, shown, at);
        });
    }

}
