package dev.cutover.upgrade;

import java.util.List;
import dev.cutover.pg.Server;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;

/**
 * What every part of the upgrade pre-flight works on: the old server, the host of the new cluster
 * ({@code at}), the new version's bindir, data directory, port and method, the report its checks
 * go to, and the list of what the rehearsal left on disk (shared, so a refusal can name it all).
 */
abstract class PreflightPart {
    protected final CommandContext ctx;
    protected final CheckReport report;
    protected final Server old;
    /** A server on the host where the new cluster lives: old's for pg_upgrade, the target's for a dump to another host. */
    protected final Server at;
    protected final String bindir;
    protected final String pgdata;
    protected final int port;
    protected final String method;
    /** What the rehearsal left on disk, for a refusal to say (never "nothing was changed" when something was). */
    protected final List<String> left;

    PreflightPart(CommandContext ctx, CheckReport report, Server old, Server at, String bindir, String pgdata, int port, String method,
                  List<String> left) {
        this.ctx = ctx;
        this.report = report;
        this.old = old;
        this.at = at;
        this.bindir = bindir;
        this.pgdata = pgdata;
        this.port = port;
        this.method = method;
        this.left = left;
    }

    /** Another part of the same pre-flight. */
    PreflightPart(PreflightPart same) {
        this(same.ctx, same.report, same.old, same.at, same.bindir, same.pgdata, same.port, same.method, same.left);
    }
}
