package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.Binding;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.cutover.runbook.SourceLocation;

/**
 * Ways a block reaches System.exit, Runtime.halt or Thread.stop that no reading of its source sees (an
 * auditor's list): each fails the block instead of ending this JVM, which is the test JVM here: a
 * regression shows as a crashed test run.
 */
class ExitRefusalsTest {
    private final GroovyEngine groovy = new GroovyEngine(List.of("fix-history"));

    private Object run(String code) {
        return groovy.instantiate(groovy.compile(code, "Step1", new SourceLocation("rb.md", 3)), new Binding()).run();
    }

    @Test
    void exitsReachedAtRunTimeFailTheBlock() {
        for (String code : List.of(
                "Eval.me('System.exit(41)')",
                "evaluate('System' + '.exit(42)')",
                "new GroovyShell().evaluate('System.exit(43)')",
                "def s = [System][0]; s.exit(44)",
                "[Runtime.getRuntime()][0].halt(45)",
                "Runtime.getRuntime().invokeMethod('ha' + 'lt', 46)",
                "this.class.classLoader.loadClass('java.lang.System').exit(49)",
                "System.getDeclaredMethods().find { it.name == 'exit' }.invoke(null, 50)",
                "Runtime.getDeclaredMethods().find { it.name == 'halt' }.invoke(Runtime.runtime, 51)",
                "java.lang.invoke.MethodHandles.lookup().findStatic(System, 'ex' + 'it', java.lang.invoke.MethodType.methodType(void, int)).invoke(52)",
                "def x = { -> System }; x().exit(54)",
                "def t = Thread.getAllStackTraces().keySet().find { it.name == 'main' }; t.stop()")) {
            Throwable e = assertThrows(Throwable.class, () -> run(code), code);
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof SecurityException)) root = root.getCause();
            // Refused when it runs, or already when it compiles (where the source still shows the name).
            boolean refused = root instanceof SecurityException || e instanceof dev.cutover.runbook.RunbookException;
            assertTrue(refused && root.getMessage().contains("would end cutover itself"), code + " → " + e);
        }
    }

    @Test
    void everythingElseOnThoseClassesStillWorks() {
        assertEquals(System.getProperty("java.version"), run("System.getProperty('java.version')"));
        assertTrue((Integer) run("Runtime.getRuntime().availableProcessors()") > 0);
        assertEquals("main", run("Thread.getAllStackTraces().keySet().find { it.name == 'main' }?.name"));
        assertEquals("abc", run("String.getMethod('toLowerCase').invoke('ABC')"));
    }
}
