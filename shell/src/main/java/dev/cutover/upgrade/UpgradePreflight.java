package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.ControlData;
import dev.cutover.pg.InitdbSettings;
import dev.cutover.pg.PgVersion;

/**
 * Everything that can be known about a major upgrade before the window, read without changing the
 * old cluster: pg_upgrade's own --check (on a scratch cluster), the extensions and libraries the
 * new installation must provide, initdb parity, pg_upgrade blockers, link capability and disk.
 * {@code upgrade ..., check: true} runs all of it; the upgrade itself runs the fast part again.
 */
public final class UpgradePreflight extends PreflightPart {

    /** What the pre-flight learned that the upgrade needs. */
    /**
     * @param targetMarker    the new data directory's {@link TargetMarker} state, null without one
     * @param targetIsCluster whether the new data directory already holds a cluster (PG_VERSION)
     */
    public record Facts(PgVersion oldVersion, Install target, InitdbSettings initdb, Map<String, String> configFromFiles,
                        String hba, boolean oldRunning, boolean oldInRecovery, long databaseBytes, int cores,
                        String targetMarker, boolean targetIsCluster) {
    }

    /** The C libraries the old cluster's functions use (read when it runs). */
    private List<Libraries.Used> libraries = List.of();
    /** Whether the rehearsal measures the outage with a real pg_upgrade of a schema-only copy. */
    private boolean measure = true;

    public UpgradePreflight(CommandContext ctx, CheckReport report, Server old, String bindir, String pgdata, int port, String method) {
        this(ctx, report, old, old, bindir, pgdata, port, method);
    }

    public UpgradePreflight(CommandContext ctx, CheckReport report, Server old, Server at, String bindir, String pgdata, int port, String method) {
        super(ctx, report, old, at, bindir, pgdata, port, method, new ArrayList<>());
    }

    /** Whether the rehearsal measures the expected outage (default true; seconds to minutes, before the window). */
    public UpgradePreflight measure(boolean on) {
        this.measure = on;
        return this;
    }

    /** The checks; {@code rehearse} adds pg_upgrade --check on a scratch cluster (seconds, so before the window only). */
    public Facts run(boolean rehearse) {
        return run(rehearse, false);
    }

    /**
     * @param prepare with {@code rehearse}: initdb and configure the real new cluster and check against it,
     *                leaving it ready for the window (marked "prepared"), instead of a scratch cluster
     */
    public Facts run(boolean rehearse, boolean prepare) {
        if (old.getBindir() == null) old.detectBindir(null);
        if (old.getBindir() == null) throw new CommandException("upgrade: " + old.getName() + "'s bindir is unknown: connect it with bindir:");
        Install target = Install.probe(at, bindir);
        boolean running = old.isRunning();
        ControlData cd = controlData(running);
        PgVersion oldVersion = running ? old.pgVersion() : old.dataDirectoryVersion();
        boolean inRecovery = running ? old.getInRecovery() : cd.state().contains("recovery");

        int from = majorKey(oldVersion);
        int to = majorKey(target.version());
        if (to < from || (to == from && !method.equals("dump"))) {
            report.add(Check.fail("versions", oldVersion.majorText() + " → " + target.version().majorText(),
                    "give bindir: of a newer major version"));
        } else if (to == from) {
            report.add(Check.ok("versions", oldVersion.majorText() + " → " + target.version().majorText() + ": a move by dump, not an upgrade"));
        } else {
            report.add(Check.ok("versions", oldVersion.majorText() + " → " + target.version().majorText() + " (" + bindir + ")"));
        }
        if (inRecovery) {
            report.add(Check.warn("role", old.getName() + " is a standby", "promote it in the window before upgrade runs (upgrade refuses a standby)"));
        }

        InitdbSettings initdb = cd != null ? InitdbSettings.fromControlData(cd) : fromSettings();
        Map<String, String> config = new LinkedHashMap<>();
        String hba = null;
        long bytes = 0;
        if (running) {
            Map<String, Object> t0 = old.sql("select pg_encoding_to_char(encoding) as enc, datcollate, datctype from pg_database where datname = 'template0'").get(0);
            String user = String.valueOf(old.value("select rolname from pg_roles where oid = 10"));
            initdb = new InitdbSettings(String.valueOf(t0.get("enc")), String.valueOf(t0.get("datcollate")), String.valueOf(t0.get("datctype")),
                    initdb.checksums(), initdb.walSegmentMb(), user);
            for (Map<String, Object> row : old.sql("select name, current_setting(name) as value from pg_settings where source = 'configuration file' order by name")) {
                config.put(String.valueOf(row.get("name")), String.valueOf(row.get("value")));
            }
            hba = readHba();
            bytes = ((Number) old.value("select sum(pg_database_size(oid))::bigint from pg_database")).longValue();
            libraries = new ClusterChecks(this).run(target, oldVersion, rehearse);
        } else {
            report.add(Check.warn("old cluster", old.getName() + " is not running: extensions, locale and blockers were not checked",
                    "start it for a full pre-flight"));
            bytes = duBytes(old.getDataDirectory());
        }
        report.add(Check.ok("initdb parity", initdb.describe()));
        TargetChecks where = new TargetChecks(this);
        TargetChecks.TargetState state = where.existing(initdb);
        int cores = at.cores();
        where.disk(bytes);
        Facts facts = new Facts(oldVersion, target, initdb, config, hba, running, inRecovery, bytes, cores, state.marker(), state.cluster());
        PgUpgradeRehearsal rehearsal = new PgUpgradeRehearsal(this, libraries, measure);
        if (rehearse && method.equals("dump")) rehearsal.dumpLibraryLoad(facts);
        if (rehearse && !method.equals("dump")) rehearsal.pgUpgradeCheck(facts, running, prepare && report.passed());
        return facts;
    }

    /**
     * pg_controldata of the old cluster; null when its bindir has none (minimal builds ship only
     * initdb, pg_ctl and postgres) and the server runs, so SQL can answer instead.
     */
    private ControlData controlData(boolean running) {
        try {
            return old.controlData();
        } catch (CommandException e) {
            if (!running) throw e;
            ctx.info("no pg_controldata for " + old.getName() + " (" + e.getMessage() + "): reading checksums and WAL segment size over SQL");
            return null;
        }
    }

    private InitdbSettings fromSettings() {
        boolean checksums = "on".equals(String.valueOf(old.value("select current_setting('data_checksums')")));
        // wal_segment_size is in bytes from 11, in 8 kB pages before
        long seg = ((Number) old.value("select setting::bigint * case when unit = 'B' then 1 when unit = '8kB' then 8192 else 1 end "
                + "from pg_settings where name = 'wal_segment_size'")).longValue();
        return new InitdbSettings(null, null, null, checksums, (int) (seg / (1024 * 1024)), null);
    }

    /** Comparable major versions: 906 for 9.6, 1500 for 15. */
    static int majorKey(PgVersion v) {
        return v.num() >= 100_000 ? v.num() / 10_000 * 100 : v.num() / 100;
    }

    private String readHba() {
        try {
            return String.valueOf(old.value("select pg_read_file(current_setting('hba_file'))"));
        } catch (RuntimeException e) {
            try {
                String file = String.valueOf(old.value("select current_setting('hba_file')"));
                return new String(old.getHost().readFile(file));
            } catch (Exception e2) {
                return null;
            }
        }
    }

    private long duBytes(String dir) {
        ExecResult r = old.quietShell("du -sb " + ShellQuote.quote(dir) + " | cut -f1", Duration.ofMinutes(2));
        try {
            return Long.parseLong(r.stdout().strip());
        } catch (NumberFormatException e) {
            return -1; // unknown: the disk check fails rather than compare with nothing
        }
    }

    /** Where the rehearsal keeps pg_upgrade's report files and logs when it refuses: next to the new data directory, not in /tmp. */
    public static String reportDir(String pgdata) {
        return pgdata.replaceAll("/+$", "") + ".cutover-report";
    }

    /** What the rehearsal left on disk (a prepared cluster and its marker, pg_upgrade's report), for a refusal to say. */
    public List<String> left() {
        return List.copyOf(left);
    }

}
