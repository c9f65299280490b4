package dev.cutover.engine;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.tools.GroovyClass;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.syntax.SyntaxException;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.SourceLocation;
import dev.cutover.runbook.StepKind;
import dev.cutover.runbook.Step;
import dev.cutover.runbook.Runbook;

/**
 * Compiles runbook blocks and typed lines against {@link CutoverScript}. Every block gets the
 * ThreadInterrupt transform, without which a busy Groovy loop ignores Ctrl-C, and the checks that
 * refuse code ending the shell's own JVM ({@link ExitCallGuard}) or running at compile time
 * ({@link CompileTimeCodeBan}). Compiled classes are
 * cached by source, so re-running a step does not recompile it.
 */
public final class GroovyEngine {
    /** Made on the first compile: its configuration (AST customizers, written in Groovy) costs start-up a run from the disk cache need not pay. */
    private GroovyClassLoader loader;
    /** The loader's configuration, for compiling to bytes with the same customizers. */
    private CompilerConfiguration config;
    private final HyphenatedNames hyphens;
    private final Map<String, CompiledBlock> cache = new ConcurrentHashMap<>();
    private int compilations;
    /** Compiled blocks kept between runs, when the application asks for it ({@link #keepCompiledBlocks}); else null. */
    private volatile CompiledClassCache disk;
    /** The script name of lines typed at the prompt. */
    static final String TYPED = "typed";

    public GroovyEngine(java.util.Collection<String> hyphenatedCommandNames) {
        this.hyphens = new HyphenatedNames(hyphenatedCommandNames);
    }

    /** Keeps compiled blocks on disk between runs of this jar (see {@link CompiledClassCache}); the application's choice. */
    public void keepCompiledBlocks() {
        this.disk = CompiledClassCache.forThisJar();
    }

    /** Tests: a cache of their own. */
    void keepCompiledBlocksIn(CompiledClassCache cache) {
        this.disk = cache;
    }

    /**
     * Start-up: starts Groovy's runtime (its metaclass registry, every default method of the JDK's classes
     * reflected once) on a daemon thread, so that it is ready on the second core by the time the main thread
     * has parsed the command line and the runbook. Every block needs it to run, whether it comes compiled
     * from the disk cache or not. Compiling a throwaway block here as well was measured: a run from the disk
     * cache got about a fifth slower (two cores busy with a compiler it does not need) and a cold compile
     * no faster. Nothing is kept and nothing is reported: a failure here only loses the head start.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                InvokerHelper.getMetaClass(CutoverScript.class);
                ExitRefusals.install();
            } catch (Throwable ignored) {
                // only a head start
            }
        }, "cutover-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static CompilerConfiguration configuration() {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(CutoverScript.class.getName());
        config.addCompilationCustomizers(new ASTTransformationCustomizer(ThreadInterrupt.class));
        // A block must not be able to end the shell (transcript cut, freezes left) or run while being checked.
        config.addCompilationCustomizers(new CompileTimeCodeBan(), new ExitCallGuard());
        // @Grab would download through Ivy (not shipped) while compiling: CompileTimeCodeBan refuses it instead.
        config.setDisabledGlobalASTTransformations(java.util.Set.of(CompileTimeCodeBan.GRAB_TRANSFORMATION));
        ImportCustomizer imports = new ImportCustomizer();
        imports.addStarImports("java.time");
        config.addCompilationCustomizers(imports);
        return config;
    }

    /**
     * Compiles {@code code}; {@code firstLine} says where its line 1 is, for error messages.
     *
     * @throws RunbookException with the runbook line, the offending line and a caret
     */
    public synchronized CompiledBlock compile(String code, String scriptName, SourceLocation firstLine) {
        String source = hyphens.rewrite(code);
        String key = scriptName + "\u0000" + source;
        CompiledBlock cached = cache.get(key);
        if (cached != null) return cached;
        try {
            // Typed lines are never kept: unlike a runbook's blocks they exist nowhere else on disk, and may hold a secret.
            Class<? extends Script> cls = disk != null && !scriptName.equals(TYPED) ? throughDisk(disk, source, scriptName) : parse(source, scriptName);
            CompiledBlock block = new CompiledBlock(cls, scriptName);
            cache.put(key, block);
            return block;
        } catch (MultipleCompilationErrorsException e) {
            throw toRunbookError(e, code, firstLine);
        } catch (CompilationFailedException e) {
            throw new RunbookException(firstLine, "Groovy: " + SHAPES.redact(e.getMessage()));
        }
    }

    private synchronized GroovyClassLoader loader() {
        if (loader == null) {
            config = configuration();
            loader = new GroovyClassLoader(GroovyEngine.class.getClassLoader(), config);
        }
        return loader;
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Script> parse(String source, String scriptName) {
        Class<? extends Script> cls = loader().parseClass(new GroovyCodeSource(source, scriptName, "/groovy/script"), false);
        compilations++;
        return cls;
    }

    /** From the disk cache when this exact block of this exact jar compiled before; else compiled to bytes and kept. */
    @SuppressWarnings("unchecked")
    private Class<? extends Script> throughDisk(CompiledClassCache disk, String source, String scriptName) {
        String key = disk.key(scriptName, source);
        Map<String, byte[]> classes = disk.read(key);
        if (classes == null || !classes.containsKey(scriptName)) {
            GroovyClassLoader parent = loader();
            CompilationUnit unit = new CompilationUnit(config, null, parent);
            unit.addSource(scriptName, source);
            unit.compile(Phases.CLASS_GENERATION);
            classes = new LinkedHashMap<>();
            for (GroovyClass c : unit.getClasses()) classes.put(c.getName(), c.getBytes());
            compilations++;
            disk.write(key, classes);
        }
        try {
            // Loaded, not initialised: a block's static initialisers (@Field static x = { ... }()) are its code, and
            // run when the step runs, never while check or a dry run compiles it.
            return (Class<? extends Script>) Class.forName(scriptName, false, new CompiledClassCache.Loader(GroovyEngine.class.getClassLoader(), classes));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("compiled " + scriptName + " has no class of that name", e);
        }
    }

    /** How many blocks were actually compiled (cache misses); tests use it to prove caching. */
    public int compilations() {
        return compilations;
    }

    public Script instantiate(CompiledBlock block, Binding binding) {
        ExitRefusals.install();
        return InvokerHelper.createScript(block.scriptClass(), binding);
    }

    /**
     * Password-shaped text (URL user:password@, password=...) in compile errors: the offending line is
     * echoed under the error by check, run and the shell, and a block may hold a URL literal with its
     * password. No secret values are known when a runbook is compiled (params come later), so the
     * shapes are all that can be masked here; the session's own redactor masks the rest where it prints.
     */
    private static final Redactor SHAPES = new Redactor();

    private static RunbookException toRunbookError(MultipleCompilationErrorsException e, String code, SourceLocation first) {
        Message m = e.getErrorCollector().getErrors().isEmpty() ? null : e.getErrorCollector().getErrors().get(0);
        if (m instanceof SyntaxErrorMessage sem) {
            SyntaxException se = sem.getCause();
            int line = Math.max(1, se.getLine());
            String[] lines = code.split("\n", -1);
            // Masked in place (same length): the caret under it must still point at the column.
            String text = line <= lines.length ? SHAPES.maskInPlace(lines[line - 1]) : null;
            SourceLocation at = first.plusLines(line - 1, Math.max(0, se.getStartColumn()));
            if (se instanceof ForbiddenCode) return new RunbookException(at, SHAPES.redact(se.getOriginalMessage()), text);
            return new RunbookException(at, "Groovy syntax error: " + SHAPES.redact(cleanMessage(se.getOriginalMessage())), text);
        }
        String msg = e.getMessage().replaceFirst("(?s)^startup failed:\\s*", "").strip();
        return new RunbookException(first, "Groovy: " + SHAPES.redact(msg.lines().findFirst().orElse(msg)));
    }

    private static String cleanMessage(String message) {
        // Groovy's parser appends " @ line X, column Y." which would contradict our runbook line.
        return message.replaceAll("\\s*@ line \\d+, column \\d+\\.?\\s*$", "").strip();
    }

    /**
     * Compiles every Groovy block on a background thread while the first steps run: a cold compile
     * costs a few hundred milliseconds, which must not land between two steps of a write freeze.
     * Errors are left for the step itself to report.
     */
    void precompileInBackground(Runbook runbook) {
        Thread t = new Thread(() -> {
            for (Step s : runbook.steps()) {
                if (s.kind() != StepKind.GROOVY) continue;
                try {
                    compile(s.code(), scriptName(s), s.codeStart());
                } catch (RuntimeException e) {
                    // reported when the step runs (or by check)
                }
            }
        }, "cutover-precompile");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The class name a step's script compiles to: how a stack frame is traced back to its runbook line. */
    static String scriptName(Step step) {
        return "Step" + step.number();
    }
}
