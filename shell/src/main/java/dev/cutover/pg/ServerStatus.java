package dev.cutover.pg;

/**
 * What a probe of a server found.
 *
 * @param reachable   accepted a connection
 * @param problem     why not (connection refused, ...), when not reachable
 * @param versionNum  server_version_num, 0 when unknown
 * @param timeline    current timeline, 0 when unknown
 */
public record ServerStatus(boolean reachable, String problem, int versionNum, String versionText, boolean inRecovery,
                           int timeline, String lsn, String dataDirectory) {

    public static ServerStatus notRunning(String why) {
        return new ServerStatus(false, why, 0, null, false, 0, null, null);
    }
}
