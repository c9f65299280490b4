package dev.cutover.app;

import java.nio.file.Path;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.Step;
import dev.cutover.transcript.Event;
import dev.cutover.transcript.TranscriptRecord;

/**
 * What a transcript must be before {@code --resume} trusts it: a record of this runbook file (edited
 * is fine with {@code --force} for changed steps; a different runbook never, however alike), and of
 * a run of the same kind (a dry run did nothing, so nothing it recorded counts as done).
 */
final class ResumeCheck {
    private ResumeCheck() {
    }

    static void sameRunbook(Runbook runbook, TranscriptRecord previous, boolean force) {
        var header = previous.session();
        String recordedReal = header.string(Event.SessionStarted.REAL_PATH);
        if (recordedReal != null) {
            // The file itself decides: staging/cutover.md and prod/cutover.md may share title, name and first steps.
            String here = Sessions.realPath(runbook.path());
            if (here.equals(recordedReal)) return; // its own runbook, edited or not (changed completed steps need --force)
            throw new UsageException("resume refused: " + previous.path() + " records runbook " + recordedReal + " (\""
                    + String.valueOf(header.string("title")).replace('\n', ' ') + "\"), not " + here
                    + "; a transcript resumes only its own runbook: cutover run "
                    + recordedReal + " --resume " + previous.path() + ", or start a new transcript (run " + runbook.displayName()
                    + " without --resume)" + (force ? "; --force accepts an edited runbook, never a different one" : ""));
        }
        // A transcript from before the real path was recorded: judged by what it does record.
        String sha = header.string("sha256");
        if (runbook.sha256().equals(sha)) return;
        String recordedPath = String.valueOf(header.string("runbook"));
        String recordedTitle = String.valueOf(header.string("title"));
        boolean sameName = fileName(recordedPath).equals(fileName(runbook.displayName()));
        boolean sameTitle = recordedTitle.equals(runbook.title());
        if (sameTitle && (sameName || idsMatch(runbook, previous))) return; // an edited copy of the same runbook
        throw new UsageException("resume refused: " + previous.path() + " records runbook " + recordedPath + " (\"" + recordedTitle
                + "\"), not " + runbook.displayName() + " (\"" + runbook.title() + "\"); a transcript resumes only its own runbook"
                + (force ? " (--force accepts an edited runbook, never a different one)" : ""));
    }

    static void sameMode(TranscriptRecord previous, boolean dryRun) {
        boolean recordedDry = Boolean.parseBoolean(String.valueOf(previous.session().data().get("dryRun")));
        if (recordedDry && !dryRun) {
            throw new UsageException("resume refused: " + previous.path() + " records a dry run, which changed nothing; "
                    + "start a real run without --resume");
        }
        if (!recordedDry && dryRun) {
            throw new UsageException("--dry-run --resume " + previous.path() + ": a dry run never writes into a real run's transcript; "
                    + "drop --resume (use --from/--until to look at the steps still to come)");
        }
    }

    private static boolean idsMatch(Runbook runbook, TranscriptRecord previous) {
        if (previous.steps().isEmpty()) return false;
        for (TranscriptRecord.StepRecord r : previous.steps().values()) {
            Step s = runbook.find(String.valueOf(r.number())).orElse(null);
            if (s == null || !s.id().equals(r.id())) return false;
        }
        return true;
    }

    private static String fileName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }
}
