package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;

/** Code that would end the shell's own JVM does not compile, whichever statically visible form it takes. */
class ExitCallGuardTest {
    private final GroovyEngine engine = new GroovyEngine(List.of());

    /** Compiles {@code code} as a block whose first line is rb.md:10, and returns the error. */
    private RunbookException refused(String code) {
        return assertThrows(RunbookException.class, () -> engine.compile(code, "Step1", new SourceLocation("rb.md", 10)),
                "must not compile: " + code);
    }

    @Test
    void systemExitIsRefusedAtItsRunbookLineWithTheWayToFailAStep() {
        RunbookException e = refused("x = 1\nif (x) {\n    System.exit(3)\n}");
        assertEquals("rb.md:12: System.exit would end cutover itself; to fail the step, throw new Exception('why')"
                + " (a batch run then stops with exit 1)", e.oneLine());
        assertEquals("    System.exit(3)", e.sourceLine());
        assertEquals(5, e.location().column());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "System.exit(3)",
            "System.exit 3",
            "java.lang.System.exit(3)",
            "System?.exit(3)",
            "System.\"exit\"(3)",
            "System.\"${'ex' + 'it'}\"(3)",
            "def e = System.&exit\ne(3)",
            "def e = System::exit\ne(3)",
            "Runtime.getRuntime().exit(3)",
            "Runtime.getRuntime().halt(4)",
            "Runtime.runtime.halt(4)",
            "def r = Runtime.getRuntime()\nr.halt(4)",
            "rt = Runtime.runtime\nrt.exit(4)",
            "Runtime.getRuntime().&halt",
            "Runtime.getRuntime().with { halt(4) }",
            "System.with { exit(4) }",
            "System.invokeMethod('exit', 3)",
            "System.metaClass.invokeStaticMethod(System, 'exit', 3)",
            "org.codehaus.groovy.runtime.InvokerHelper.invokeStaticMethod(System, 'exit', 3)",
            "System.getMethod('exit', int).invoke(null, 3)",
            "System.class.getMethod('exit', int).invoke(null, 3)",
            "Class.forName('java.lang.System').exit(3)",
            "def name = 'exit'\nSystem.\"$name\"(3)",
            "ProcessHandle.current().destroy()",
            "ProcessHandle.current().destroyForcibly()",
            "System.setSecurityManager(null)",
            "import static java.lang.System.exit\nexit(3)",
            "import static java.lang.System.exit as bye\nbye(3)",
            "import static java.lang.System.*\nexit(3)",
            "import java.lang.System as S\nS.exit(3)",
            "def f() { System.exit(3) }\nf()",
            "[1].each { System.exit(it) }",
            "class Quit { static void now() { Runtime.getRuntime().halt(1) } }\nQuit.now()",
    })
    void everyStaticallyVisibleFormIsRefused(String code) {
        RunbookException e = refused(code);
        assertTrue(e.getMessage().contains("would end cutover itself") || e.getMessage().contains("setSecurityManager")
                || e.getMessage().contains("computed"), e.oneLine());
        assertTrue(!e.oneLine().contains("\n"), e.oneLine());
    }

    @Test
    void theImportLineIsTheOneReportedForAStaticImport() {
        assertEquals("rb.md:11: System.exit would end cutover itself; to fail the step, throw new Exception('why')"
                + " (a batch run then stops with exit 1)", refused("// quit\nimport static java.lang.System.exit\nexit(3)").oneLine());
    }

    @Test
    void codeThatRunsWhileCompilingIsRefused() {
        RunbookException e = refused("@groovy.transform.ASTTest(value = { System.exit(7) })\ndef x = 1");
        assertTrue(e.oneLine().startsWith("rb.md:10: @ASTTest runs code while the runbook is compiled"), e.oneLine());
        assertTrue(refused("import groovy.transform.ASTTest as T\n@T(value = { Runtime.runtime.halt(7) })\ndef x = 1")
                .oneLine().startsWith("rb.md:1"));
    }

    /** Grape needs Ivy (not shipped) and the network: a one-line refusal at the annotation's line, not NoClassDefFoundError. */
    @ParameterizedTest
    @ValueSource(strings = {
            "@Grab('org.example:lib:1.0')\ndef x = 1",
            "@groovy.lang.Grab(group = 'org.example', module = 'lib', version = '1.0')\nimport org.example.Lib",
            "@GrabResolver(name = 'r', root = 'https://repo.example.org/')\ndef x = 1",
            "@GrabConfig(systemClassLoader = true)\ndef x = 1",
            "@Grapes([@Grab('org.example:lib:1.0')])\ndef x = 1",
            "@GrabExclude('org.example:other')\ndef x = 1",
            "import groovy.lang.Grab as G\n@G('org.example:lib:1.0')\ndef x = 1",
            "def f() {\n  @Grab('org.example:lib:1.0') def y = 1\n}",
    })
    void grapeIsRefusedAtItsLine(String code) {
        RunbookException e = refused(code);
        assertTrue(e.oneLine().matches("rb\\.md:1[01]: (@Grab\\w*|@Grapes) is not available in runbooks \\(no downloads in a window\\); .*"), e.oneLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "def exit = 0\nexit + 1",
            "Runtime.getRuntime().availableProcessors()",
            "System.getenv('HOME')",
            "System.currentTimeMillis()",
            "def p = 'true'.execute()\np.waitFor()\np.exitValue()",
            "def halt(n) { n }\nhalt(4)",
            "m = [exit: 1]\nm.exit",
            "ProcessHandle.current().pid()",
            "throw new Exception('why')",
    })
    void ordinaryCodeStillCompiles(String code) {
        assertDoesNotThrow(() -> engine.compile(code, "Step1", new SourceLocation("rb.md", 10)));
    }
}
