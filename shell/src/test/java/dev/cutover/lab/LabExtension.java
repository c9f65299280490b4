package dev.cutover.lab;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the test lab once per test run (from a clean directory) and stops it when the run ends.
 * Test classes take it with {@code @LabTest} and a {@link Lab} parameter.
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {

    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final Lab lab;

        Running() throws Exception {
            Path repo = Lab.repoRoot();
            Lab.script(repo, "down");
            Lab.shell("rm -rf '" + Lab.DIR + "'");
            Lab.Result up = Lab.script(repo, "up", "--scale", "1");
            if (up.exit() != 0) throw new IllegalStateException("scripts/lab up failed:\n" + up.out());
            lab = new Lab(repo, Lab.readParams(Path.of(Lab.DIR, "lab.params")));
        }

        @Override
        public void close() throws Throwable {
            Lab.script(lab.repo(), "down");
        }
    }

    static Lab lab(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> {
                    try {
                        return new Running();
                    } catch (Exception e) {
                        // scripts/test sets requireLab: there a lab that cannot start is a failure, never a skip.
                        if (!Boolean.getBoolean("cutover.test.requireLab")) {
                            throw new org.opentest4j.TestAbortedException("the lab cannot start here (needs root and scripts/lab install): "
                                    + e.getMessage());
                        }
                        throw new IllegalStateException("cannot start the lab: " + e.getMessage(), e);
                    }
                }, Running.class).lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Lab lab = lab(context);
        // Each test class starts from the just-up lab, whatever the class before it promoted or stopped.
        try {
            lab.reset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the lab: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return lab(e);
    }
}
