package dev.cutover.upgrade;

import java.nio.charset.StandardCharsets;
import dev.cutover.spi.CommandContext;
import dev.cutover.host.FileAttributes;
import dev.cutover.host.Host;

/**
 * A file beside a new data directory that says cutover made it, and how far it got: "prepared" by a
 * rehearsal (initdb and configuration done, reused in the window) or "in progress" (an upgrade
 * started; if it was interrupted before pg_upgrade touched the old cluster, it may be made again).
 * Nothing without this marker is ever removed.
 */
public final class TargetMarker {
    public static final String PREPARED = "prepared";
    public static final String IN_PROGRESS = "in progress";

    private TargetMarker() {
    }

    /** "prepared &lt;fingerprint of the configuration written&gt;": lets the window skip rewriting what did not change. */
    public static String prepared(String fingerprint) {
        return PREPARED + " " + fingerprint;
    }

    public static boolean isPrepared(String state) {
        return state != null && (state.equals(PREPARED) || state.startsWith(PREPARED + " "));
    }

    public static String fingerprintOf(String state) {
        return isPrepared(state) && state.length() > PREPARED.length() + 1 ? state.substring(PREPARED.length() + 1) : null;
    }

    public static String path(String pgdata) {
        return pgdata.replaceAll("/+$", "") + ".cutover-unfinished";
    }

    /** The recorded state, or null when there is no marker. */
    public static String read(Host host, String pgdata) {
        try {
            if (!host.exists(path(pgdata))) return null;
            return new String(host.readFile(path(pgdata)), StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            return null;
        }
    }

    public static void write(CommandContext ctx, Host host, String pgdata, String state) throws Exception {
        ctx.mutate("mark " + pgdata + " as cutover's (" + state + "): " + path(pgdata), () -> {
            host.writeFileAtomic(path(pgdata), (state + "\n").getBytes(StandardCharsets.UTF_8), FileAttributes.postgres600());
            return null;
        });
    }
}
