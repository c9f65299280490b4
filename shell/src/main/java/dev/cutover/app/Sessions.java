package dev.cutover.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import dev.cutover.runbook.Runbook;
import dev.cutover.transcript.SessionInfo;

/** Facts about this run for transcript headers: who, where, which version, where the transcript goes. */
final class Sessions {

    private Sessions() {
    }

    static String version() {
        try (InputStream in = Sessions.class.getResourceAsStream("/dev/cutover/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static String operator() {
        String user = System.getProperty("user.name");
        String sudo = System.getenv("SUDO_USER");
        return sudo != null && !sudo.equals(user) ? sudo + " (as " + user + ")" : user;
    }

    static String machine() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = System.getenv("HOSTNAME");
            return h == null ? "unknown" : h;
        }
    }

    static SessionInfo info(Runbook runbook, Map<String, String> maskedParams, String mode, boolean dryRun, Instant at) {
        if (runbook == null) {
            return new SessionInfo("(none)", "ad-hoc session", "-", Map.of(), operator(), machine(), at, version(), mode, dryRun);
        }
        return new SessionInfo(runbook.displayName(), runbook.title(), runbook.sha256(), maskedParams, operator(), machine(),
                at, version(), mode, dryRun, realPath(runbook.path()));
    }

    /** The file's absolute path with links resolved: the same for every way of naming one file. */
    static String realPath(java.nio.file.Path file) {
        try {
            return file.toRealPath().toString();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().toString();
        }
    }
}
