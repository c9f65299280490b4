package dev.cutover.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.cutover.spi.CommandContext;
import dev.cutover.engine.Notebook;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;

/**
 * The freeze guarantee on the exits cutover does not choose: a block reaching System.exit by a way
 * the compile check cannot see, SIGTERM, SIGHUP. A JVM shutdown hook undoes the freezes still in
 * force in every session that has not ended the ordinary way, notes it in the transcript and says
 * so in one line on stderr. A session that ended the ordinary way is no longer watched: a batch run
 * that failed in the window leaves its freezes on purpose, for {@code --resume} to undo.
 */
final class UnfreezeAtExit {
    /** The one instance the CLI uses; {@link #install()} registers its hook. */
    static final UnfreezeAtExit JVM = new UnfreezeAtExit(System.err);

    private final Set<Notebook> watched = new LinkedHashSet<>();
    private final AtomicBoolean installed = new AtomicBoolean();
    private final PrintStream err;

    UnfreezeAtExit(PrintStream err) {
        this.err = err;
    }

    /** Registers the shutdown hook, once. */
    void install() {
        if (installed.compareAndSet(false, true)) {
            Thread hook = new Thread(this::run, "cutover-unfreeze-at-exit");
            ExitStatus.awaits(hook);
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** From the start of a session until it ends the ordinary way. */
    synchronized void watch(Notebook notebook) {
        watched.add(notebook);
    }

    /**
     * The session ended the ordinary way. Call it before the session writes its end and closes its
     * connections: when the hook is at work, this waits until it is done with them.
     */
    synchronized void unwatch(Notebook notebook) {
        watched.remove(notebook);
    }

    /** The hook: for each session still watched, stop its running step and undo its freezes, newest first. */
    synchronized void run() {
        List<Notebook> sessions = List.copyOf(watched);
        watched.clear();
        for (Notebook notebook : sessions) {
            Freezes freezes = notebook.sessionState(Freezes.class, Freezes::new);
            List<Freeze> active = new ArrayList<>(freezes.active());
            if (active.isEmpty()) continue;
            // After SIGTERM the step thread goes on running; it must not act while its freezes are undone.
            notebook.cancelForExit();
            Collections.reverse(active);
            CommandContext ctx = notebook.detachedContext();
            List<String> outcomes = new ArrayList<>();
            for (Freeze f : active) {
                try {
                    freezes.unfreeze(f, ctx);
                    outcomes.add("undid " + f.id() + " (" + f.target() + ")");
                } catch (Exception e) {
                    outcomes.add("could not undo " + f.id() + " (" + f.target() + "): " + e.getMessage() + "; undo it by hand");
                }
            }
            String line = notebook.redactor().redact("exiting in the middle of a session with writes frozen: " + String.join("; ", outcomes));
            try {
                notebook.note(line);
            } catch (RuntimeException e) {
                // the transcript may be closed already: stderr still tells the operator
            }
            err.println("cutover: " + line);
            err.flush();
        }
    }
}
