package dev.cutover.app;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import dev.cutover.engine.Notebook;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.transcript.TranscriptRecord;
import dev.cutover.transcript.TranscriptWriter;

/**
 * Which variable holds which freeze ({@code f = freeze ...}), recorded in the transcript as steps
 * end, so a resumed run gives the freezes it restores their names back and a step written
 * {@code unfreeze f} works there as it would have in the first run.
 */
final class FreezeHandles {
    /** The shell's own event: which variable holds which freeze (written and read only here). */
    private static final String HANDLE = "freeze-handle";
    private final Set<String> recorded = new HashSet<>();

    /** Records every variable that newly holds a freeze. */
    void record(Notebook notebook, TranscriptWriter transcript) {
        for (Map.Entry<String, Object> v : notebook.variables().entrySet()) {
            if (v.getValue() instanceof Freeze f && recorded.add(f.id() + "=" + v.getKey())) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", f.id());
                data.put("variable", v.getKey());
                transcript.event(HANDLE, data, Instant.now());
            }
        }
    }

    /** Binds each restored, still active freeze to the variable the earlier run held it in. */
    void restore(Notebook notebook, TranscriptRecord previous) {
        Freezes freezes = notebook.sessionState(Freezes.class, Freezes::new);
        for (RecordedEvent e : previous.recorded()) {
            if (!HANDLE.equals(e.type())) continue;
            String id = e.string("id");
            String variable = e.string("variable");
            freezes.byId(id).filter(Freeze::active).ifPresent(f -> {
                notebook.setVariable(variable, f);
                recorded.add(id + "=" + variable);
            });
        }
    }
}
