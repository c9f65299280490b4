package dev.cutover.transcript;

import java.time.Instant;
import java.util.Map;

/**
 * The header of a transcript.
 *
 * @param runbookPath     the runbook as the operator named it (shown)
 * @param params          values with secrets already masked
 * @param runbookRealPath the runbook's absolute path with links resolved: which runbook a {@code --resume}
 *                        may continue (null when there is no runbook file)
 */
public record SessionInfo(String runbookPath, String runbookTitle, String runbookSha, Map<String, String> params,
                          String operator, String machine, Instant started, String version, String mode,
                          boolean dryRun, String runbookRealPath) {

    /** Without a real path (no runbook file). */
    public SessionInfo(String runbookPath, String runbookTitle, String runbookSha, Map<String, String> params,
                       String operator, String machine, Instant started, String version, String mode, boolean dryRun) {
        this(runbookPath, runbookTitle, runbookSha, params, operator, machine, started, version, mode, dryRun, null);
    }
}
