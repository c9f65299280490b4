package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.Invocation;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.Prompter;
import dev.cutover.engine.Registry;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;

/** Writes frozen when the JVM ends mid-session are let go again, and the transcript says so. */
class UnfreezeAtExitTest {
    @TempDir
    Path dir;

    /** A freeze whose undo only counts: the hook's logic without a PgBouncer. */
    static final class CountingFreeze extends Freeze {
        final AtomicInteger undone = new AtomicInteger();

        CountingFreeze(String id) {
            super(id, Instant.now(), List.of("PAUSE appdb"));
        }

        @Override
        public String kind() {
            return "counting";
        }

        @Override
        public String target() {
            return "pgbouncer appdb";
        }

        @Override
        public Map<String, Object> state() {
            return Map.of();
        }

        @Override
        public String undoByHand() {
            return "RESUME appdb";
        }

        @Override
        protected void undo(CommandContext ctx) {
            undone.incrementAndGet();
        }
    }

    /** Puts a CountingFreeze in force the way the freeze built-in does. */
    static final class FakeFreezeCommand implements Command {
        @Override
        public CommandSpec spec() {
            return CommandSpec.of("fakeFreeze", "test freeze", "fakeFreeze");
        }

        @Override
        public Object run(CommandContext ctx, Invocation call) {
            Freezes freezes = ctx.session(Freezes.class, Freezes::new);
            CountingFreeze f = new CountingFreeze(freezes.nextId());
            freezes.add(f, ctx);
            return f;
        }
    }

    static final class Recorded implements NotebookListener {
        final List<String> events = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        @Override
        public synchronized void event(String type, Map<String, Object> data, Instant at) {
            events.add(type);
        }

        @Override
        public synchronized void note(String text, Instant at) {
            notes.add(text);
        }
    }

    private static Notebook notebook(Recorded recorded) {
        List<Command> all = new ArrayList<>(Builtins.registry().all());
        all.add(new FakeFreezeCommand());
        Notebook nb = new Notebook(new Registry(all), Prompter.batch(false));
        nb.addListener(recorded);
        return nb;
    }

    @Test
    void theHookUndoesWhatIsStillFrozenRecordsItAndSaysSoInOneLine() {
        Recorded recorded = new Recorded();
        Notebook nb = notebook(recorded);
        CountingFreeze f = (CountingFreeze) nb.eval("f = fakeFreeze()").value();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UnfreezeAtExit atExit = new UnfreezeAtExit(new PrintStream(err, true, StandardCharsets.UTF_8));
        atExit.watch(nb);

        atExit.run();

        assertEquals(1, f.undone.get());
        assertFalse(f.active());
        assertEquals("cutover: exiting in the middle of a session with writes frozen: undid freeze-1 (pgbouncer appdb)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("freeze", "unfreeze"), recorded.events);
        assertEquals(List.of("exiting in the middle of a session with writes frozen: undid freeze-1 (pgbouncer appdb)"), recorded.notes);
        atExit.run();
        assertEquals(1, f.undone.get(), "undone once");
    }

    @Test
    void aSessionThatEndedTheOrdinaryWayKeepsItsFreezesForResume() {
        Notebook nb = notebook(new Recorded());
        CountingFreeze f = (CountingFreeze) nb.eval("fakeFreeze()").value();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UnfreezeAtExit atExit = new UnfreezeAtExit(new PrintStream(err, true, StandardCharsets.UTF_8));
        atExit.watch(nb);
        atExit.unwatch(nb);

        atExit.run();

        assertEquals(0, f.undone.get());
        assertTrue(f.active());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sigtermInTheWindowUndoesTheFreezeAndTheTranscriptSaysSo() throws Exception {
        Cli.write(dir, "rb.md", """
                # Window

                ## Freeze

                ```groovy
                f = freeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']
                ```

                ## Long step

                ```groovy
                new File('started.txt').text = 'x'
                sleep 60
                ```
                """);
        Process p = Cli.builder(dir, "run", "rb.md", "--transcript", "t.md").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("started.txt")) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.exists(dir.resolve("apps-stopped")), "frozen before the signal");
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM must end the run");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(Files.exists(dir.resolve("apps-stopped")), "the freeze was undone on the way out: " + out);
        assertTrue(out.contains("cutover: exiting in the middle of a session with writes frozen: undid freeze-1 (apps on local)"), out);
        String t = Files.readString(dir.resolve("t.md"));
        assertTrue(t.contains("\"type\":\"unfreeze\""), t);
        assertTrue(t.contains("undid freeze-1 (apps on local)"), t);
    }

    @Test
    void anExitTheCompileCheckCannotSeeStillUndoesTheFreeze() throws Exception {
        // Statically compiled reflection with names built at run time gets past both guards: the documented limit the hook covers.
        Cli.write(dir, "rb.md", """
                # Window

                ## Freeze

                ```groovy
                f = freeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']
                ```

                ## Quits at run time

                ```groovy
                """ + ExitCallCheckTest.STATIC_EXIT + """
                quit(3)
                ```
                """);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md");
        assertEquals(ReportKeeper.TERMINATED, r.exit(), "the block's code (3) is not the run's: " + r.out());
        assertFalse(Files.exists(dir.resolve("apps-stopped")), r.out());
        assertTrue(r.out().contains("cutover: exiting in the middle of a session with writes frozen: undid freeze-1 (apps on local)"), r.out());
        assertTrue(Files.readString(dir.resolve("t.md")).contains("\"type\":\"unfreeze\""));
    }
}
