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
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;
import dev.cutover.runbook.Step;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandException;

/**
 * Turns what a step threw into its result: refused, interrupted or failed, with one line that
 * names the runbook file and line (from the script's own stack frame), what went wrong in the
 * operator's words (unknown variable, did you mean), and the stack trace kept for --trace only.
 */
final class FailureReport {
    private final Registry registry;
    private final Supplier<Collection<String>> variableNames;
    private final Redactor redactor;

    FailureReport(Registry registry, Supplier<Collection<String>> variableNames, Redactor redactor) {
        this.registry = registry;
        this.variableNames = variableNames;
        this.redactor = redactor;
    }

    /** The result of an attempt that threw {@code failure} (or was cancelled). */
    StepResult result(Step step, Execution execution, Throwable failure, List<String> actions, Instant started, Duration took) {
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
        return new StepResult(status, null, List.of(), actions, started, took, redactor.redact(error),
                redactor.redact(stackTrace(failure)));
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
    String describe(Throwable t) {
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
        List<String> vars = new ArrayList<>(variableNames.get());
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
        String scriptName = step == null ? GroovyEngine.TYPED : GroovyEngine.scriptName(step);
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
    static String where(Step step, SourceLocation at, StepStatus status) {
        return step == null ? "" : step.label() + " " + status.word() + " at " + (at == null ? step.codeStart() : at) + ": ";
    }
    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
