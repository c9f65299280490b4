package dev.cutover.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.cutover.engine.Notebook;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;
import dev.cutover.host.ShellQuote;
import dev.cutover.runbook.ParamSpec;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.Step;

/**
 * The last lines of a run that ends with writes still frozen: each freeze, since when, and the
 * exact command that undoes it: a resume that runs only the runbook's unfreeze step (the resume
 * restores the freezes from the transcript), or, when the runbook has none left, the undo by hand.
 */
final class StillFrozen {
    private static final Pattern UNFREEZE = Pattern.compile("\\bunfreeze\\b");

    private StillFrozen() {
    }

    static List<String> lines(Runbook runbook, Notebook notebook, Path transcript, BatchRun.Options o) {
        List<Freeze> active = notebook.sessionState(Freezes.class, Freezes::new).active();
        if (active.isEmpty()) return List.of();
        Optional<Step> unfreezeStep = runbook.steps().stream()
                .filter(s -> !notebook.state(s).status().done() && !s.flags().manual() && UNFREEZE.matcher(s.code()).find())
                .findFirst();
        List<String> lines = new ArrayList<>();
        for (Freeze f : active) {
            lines.add(f.stillFrozen() + ": undo with: " + unfreezeStep.map(s -> resumeCommand(runbook, s, transcript, o))
                    .orElse(f.undoByHand() + "  (" + runbook.displayName() + " has no unfreeze step left to resume into)"));
        }
        return lines;
    }

    /** {@code cutover run rb.md --resume t.md --from 9 --until 9}, with what the resume needs that the transcript does not hold. */
    static String resumeCommand(Runbook runbook, Step step, Path transcript, BatchRun.Options o) {
        StringBuilder sb = new StringBuilder("cutover run ").append(ShellQuote.quote(runbook.displayName()))
                .append(" --resume ").append(ShellQuote.quote(transcript.toString()))
                .append(" --from ").append(step.number()).append(" --until ").append(step.number());
        if (o.paramsFile() != null) sb.append(" --params-file ").append(ShellQuote.quote(o.paramsFile().toString()));
        // Secrets are masked in the transcript, so a resume needs them again.
        for (ParamSpec p : runbook.params()) {
            if (p.secret() && o.params().containsKey(p.name())) sb.append(" -p ").append(p.name()).append("=...");
        }
        if (step.flags().confirm()) sb.append(" --yes");
        return sb.toString();
    }
}
