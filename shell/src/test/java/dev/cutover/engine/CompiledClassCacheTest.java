package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.Binding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;

/** Compiled blocks kept between runs: used only for the same source of the same jar, never for what did not compile or was typed. */
class CompiledClassCacheTest {
    @TempDir
    Path home;
    private static final SourceLocation AT = new SourceLocation("rb.md", 5);

    private GroovyEngine engine(String jar) {
        GroovyEngine g = new GroovyEngine(List.of("fix-history"));
        g.keepCompiledBlocksIn(new CompiledClassCache(home.resolve("classes"), jar));
        return g;
    }

    private Object run(GroovyEngine g, String code, String name) {
        return g.instantiate(g.compile(code, name, AT), new Binding()).run();
    }

    @Test
    void aSecondRunLoadsTheBlockInsteadOfCompilingIt() throws Exception {
        String code = "def f = { n -> n * 6 }\nf(7)";
        GroovyEngine first = engine("cutover.jar 1 1");
        assertEquals(42, run(first, code, "Step1"));
        assertEquals(1, first.compilations());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("classes"))));

        GroovyEngine second = engine("cutover.jar 1 1");
        assertEquals(42, run(second, code, "Step1"), "the closure class comes from the cache too");
        assertEquals(0, second.compilations());

        GroovyEngine otherJar = engine("cutover.jar 2 2");
        assertEquals(42, run(otherJar, code, "Step1"));
        assertEquals(1, otherJar.compilations(), "another build compiles again");
        GroovyEngine edited = engine("cutover.jar 1 1");
        assertEquals(43, run(edited, code + " + 1", "Step1"));
        assertEquals(1, edited.compilations(), "an edited block compiles again");
    }

    @Test
    void refusedBlocksAndTypedLinesAreNeverKept() throws Exception {
        GroovyEngine g = engine("cutover.jar 1 1");
        assertThrows(RunbookException.class, () -> g.compile("System.exit(0)", "Step1", AT));
        assertEquals(1, run(g, "1", GroovyEngine.TYPED));
        assertTrue(!Files.exists(home.resolve("classes")) || Files.list(home.resolve("classes")).findAny().isEmpty(),
                "nothing written for a refused block or a typed line");
    }

    @Test
    void aDamagedEntryOrADirectoryOthersCanWriteIsIgnored() throws Exception {
        assertEquals(42, run(engine("j"), "42", "Step1"));
        Path entry;
        try (var s = Files.list(home.resolve("classes"))) {
            entry = s.findFirst().orElseThrow();
        }
        Files.write(entry, new byte[] {1, 2, 3});
        GroovyEngine damaged = engine("j");
        assertEquals(42, run(damaged, "42", "Step1"));
        assertEquals(1, damaged.compilations());

        Files.setPosixFilePermissions(home.resolve("classes"), PosixFilePermissions.fromString("rwxrwxrwx"));
        GroovyEngine open = engine("j");
        assertEquals(42, run(open, "42", "Step1"));
        assertEquals(1, open.compilations(), "a directory anyone can write to is not trusted");
    }
}
