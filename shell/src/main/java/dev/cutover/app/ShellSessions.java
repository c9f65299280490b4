package dev.cutover.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import dev.cutover.engine.Prompter;
import dev.cutover.runbook.Runbook;
import dev.cutover.transcript.SessionInfo;
import dev.cutover.ui.Repl;

/** Gives the shell the app's rules for params and transcripts. */
public final class ShellSessions {
    private ShellSessions() {
    }

    public static Repl.Sessions of(Map<String, String> given, Map<String, String> fromFile, boolean dryRun) {
        return new Repl.Sessions() {
            private Map<String, String> resolved = Map.of();

            @Override
            public SessionInfo info(Runbook runbook, Instant at) {
                return Sessions.info(runbook, runbook == null ? Map.of() : Params.masked(runbook, resolved), "interactive", dryRun, at);
            }

            @Override
            public Map<String, String> resolveParams(Runbook runbook, Prompter prompter) {
                resolved = Params.resolve(runbook, given, fromFile, prompter);
                return resolved;
            }

            @Override
            public Set<String> secretNames(Runbook runbook) {
                return Params.secretNames(runbook);
            }

            @Override
            public Path defaultTranscript(Runbook runbook, Instant at) {
                try {
                    return TranscriptPaths.unique(runbook == null ? "session" : runbook.path().getFileName().toString(), at);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot create a transcript in transcripts/: " + e.getMessage(), e);
                }
            }
        };
    }
}
