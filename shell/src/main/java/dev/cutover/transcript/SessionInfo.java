package dev.cutover.transcript;

import java.time.Instant;
import java.util.Map;

/**
 * The header of a transcript.
 *
 * @param params values with secrets already masked
 */
public record SessionInfo(String runbookPath, String runbookTitle, String runbookSha, Map<String, String> params,
                          String operator, String machine, Instant started, String version, String mode,
                          boolean dryRun) {
}
