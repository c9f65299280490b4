package dev.cutover.engine;

import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;
import dev.cutover.runbook.Step;
import dev.cutover.runbook.StepKind;
import dev.cutover.spi.CommandException;

/** How a step's code runs: a Groovy block as a script in the shared binding, an sql block on the server its info string names. */
final class StepCode {
    private final GroovyEngine groovy;
    private final SessionBinding binding;

    StepCode(GroovyEngine groovy, SessionBinding binding) {
        this.groovy = groovy;
        this.binding = binding;
    }

    /** Compiles a step without running it (for check); throws RunbookException with the runbook line. */
    void compile(Step step) {
        if (step.kind() == StepKind.GROOVY) {
            groovy.compile(step.code(), GroovyEngine.scriptName(step), step.codeStart());
        } else if (step.code().isBlank()) {
            throw new RunbookException(step.codeStart(), "empty sql block");
        }
    }

    Object run(Step step) throws Exception {
        if (step.kind() == StepKind.SQL) {
            Object server = binding.hasVariable(step.target()) ? binding.getVariable(step.target()) : null;
            if (server == null) {
                throw new CommandException("this sql block runs on '" + step.target() + "', but no variable '"
                        + step.target() + "' is set: run the step that connects it first ("
                        + step.target() + " = connect ...)");
            }
            return InvokerHelper.invokeMethod(server, "sql", new Object[] {step.code()});
        }
        CompiledBlock block = groovy.compile(step.code(), GroovyEngine.scriptName(step), step.codeStart());
        Script script = groovy.instantiate(block, binding);
        binding.keepFunctions(script);
        return script.run();
    }

    Object runTyped(String code) {
        CompiledBlock block = groovy.compile(code, GroovyEngine.TYPED, new SourceLocation("<input>", 1));
        Script script = groovy.instantiate(block, binding);
        binding.keepFunctions(script);
        return script.run();
    }
}
