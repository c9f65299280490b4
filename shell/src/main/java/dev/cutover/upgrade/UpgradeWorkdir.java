package dev.cutover.upgrade;

import java.time.Duration;
import java.util.List;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;

/**
 * pg_upgrade's working directory (its logs, sockets, update_extensions.sql and delete script),
 * kept beside the new data directory rather than in /tmp: made before the old server stops (so a
 * directory that cannot be made fails outside the outage), removed after a successful upgrade, and
 * kept with its reports when pg_upgrade fails.
 */
public final class UpgradeWorkdir {
    private UpgradeWorkdir() {
    }

    /** {@code /srv/pg/new15} → {@code /srv/pg/new15.cutover-upgrade}. */
    public static String path(String pgdata) {
        return pgdata.replaceAll("/+$", "") + ".cutover-upgrade";
    }

    /** Makes it empty: what an earlier failed attempt left there was printed then and belongs to that attempt. */
    public static void prepare(CommandContext ctx, Host host, String dir) throws Exception {
        run(ctx, host, dir, "rm -rf \"$w\" && mkdir -m 700 \"$w\"", "make pg_upgrade's working directory " + dir);
    }

    public static void remove(CommandContext ctx, Host host, String dir) throws Exception {
        run(ctx, host, dir, "rm -rf \"$w\"", "remove pg_upgrade's working directory " + dir + " (the upgrade succeeded)");
    }

    private static void run(CommandContext ctx, Host host, String dir, String script, String what) throws Exception {
        ExecRequest req = ExecRequest.of(List.of("bash", "-c", "w=\"$1\"; " + script, "bash", dir), Duration.ofMinutes(2), null, null, ctx.cancellation());
        ExecResult r = ctx.mutate(host.name() + "$ " + what, () -> host.exec(req));
        if (r != null && !r.ok()) throw new CommandException("upgrade: cannot " + what + ": " + r.lastLine());
    }
}
