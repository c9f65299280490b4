package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.ControlData;
import dev.cutover.pg.DbKey;
import dev.cutover.pg.InitdbSettings;
import dev.cutover.pg.PgVersion;

/**
 * Everything that can be known about a major upgrade before the window, read without changing the
 * old cluster: pg_upgrade's own --check (on a scratch cluster), the extensions and libraries the
 * new installation must provide, initdb parity, pg_upgrade blockers, link capability and disk.
 * {@code upgrade ..., check: true} runs all of it; the upgrade itself runs the fast part again.
 */
public final class UpgradePreflight {

    /** What the pre-flight learned that the upgrade needs. */
    /**
     * @param targetMarker    the new data directory's {@link TargetMarker} state, null without one
     * @param targetIsCluster whether the new data directory already holds a cluster (PG_VERSION)
     */
    public record Facts(PgVersion oldVersion, Install target, InitdbSettings initdb, Map<String, String> configFromFiles,
                        String hba, boolean oldRunning, boolean oldInRecovery, long databaseBytes, int cores,
                        String targetMarker, boolean targetIsCluster) {
    }

    private final CommandContext ctx;
    private final CheckReport report;
    private final Server old;
    private final String bindir;
    private final String pgdata;
    private final int port;
    private final String method;
    /** A server on the host where the new cluster lives: old's for pg_upgrade, the target's for a dump to another host. */
    private final Server at;
    /** The C libraries the old cluster's functions use (read when it runs). */
    private List<Libraries.Used> libraries = List.of();
    /** What the rehearsal left on disk, for a refusal to say (never "nothing was changed" when something was). */
    private final List<String> left = new ArrayList<>();
    /** Whether the rehearsal measures the outage with a real pg_upgrade of a schema-only copy. */
    private boolean measure = true;

    public UpgradePreflight(CommandContext ctx, CheckReport report, Server old, String bindir, String pgdata, int port, String method) {
        this(ctx, report, old, old, bindir, pgdata, port, method);
    }

    public UpgradePreflight(CommandContext ctx, CheckReport report, Server old, Server at, String bindir, String pgdata, int port, String method) {
        this.at = at;
        this.ctx = ctx;
        this.report = report;
        this.old = old;
        this.bindir = bindir;
        this.pgdata = pgdata;
        this.port = port;
        this.method = method;
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
            clusterChecks(target, oldVersion, rehearse);
        } else {
            report.add(Check.warn("old cluster", old.getName() + " is not running: extensions, locale and blockers were not checked",
                    "start it for a full pre-flight"));
            bytes = duBytes(old.getDataDirectory());
        }
        report.add(Check.ok("initdb parity", initdb.describe()));
        TargetState state = existingTargetChecks(initdb);
        int cores = at.cores();
        diskChecks(bytes);
        Facts facts = new Facts(oldVersion, target, initdb, config, hba, running, inRecovery, bytes, cores, state.marker(), state.cluster());
        if (rehearse && method.equals("dump")) dumpLibraryLoad(facts);
        if (rehearse && !method.equals("dump")) pgUpgradeCheck(facts, running, prepare && report.passed());
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

    private void clusterChecks(Install target, PgVersion oldVersion, boolean rehearse) {
        long prepared = ((Number) old.value("select count(*) from pg_prepared_xacts")).longValue();
        report.add(prepared == 0 ? Check.ok("prepared transactions", "none")
                : Check.fail("prepared transactions", prepared + " open", "COMMIT PREPARED or ROLLBACK PREPARED them (pg_prepared_xacts)"));

        String preload = String.valueOf(old.value("select current_setting('shared_preload_libraries')")).strip();
        if (preload.isEmpty()) {
            report.add(Check.ok("shared_preload_libraries", "none"));
        } else {
            List<String> missing = new ArrayList<>();
            for (String lib : preload.split("\\s*,\\s*")) if (!lib.isBlank() && !target.hasLibrary(lib.replace("\"", ""))) missing.add(lib);
            report.add(missing.isEmpty() ? Check.ok("shared_preload_libraries", preload + ": all present for " + target.version().majorText())
                    : Check.fail("shared_preload_libraries", String.join(", ", missing) + " missing from " + target.pkglibdir(),
                    "install the " + target.version().majorText() + " build of each before the window"));
        }

        Map<String, String> extVersions = new TreeMap<>();
        Map<String, TreeSet<String>> extDbs = new TreeMap<>();
        List<String> unlogged = new ArrayList<>();
        List<String> databases = old.databases();
        for (String db : databases) {
            for (Map<String, Object> row : old.sqlIn(db, "select extname, extversion from pg_extension where extname <> 'plpgsql'")) {
                String name = String.valueOf(row.get("extname"));
                extVersions.put(name, String.valueOf(row.get("extversion")));
                extDbs.computeIfAbsent(name, k -> new TreeSet<>()).add(db);
            }
            for (Map<String, Object> row : old.sqlIn(db, "select format('%I.%I', n.nspname, c.relname) as t from pg_class c "
                    + "join pg_namespace n on n.oid = c.relnamespace where c.relpersistence = 'u' and c.relkind in ('r', 'p')")) {
                unlogged.add(DbKey.of(db, String.valueOf(row.get("t"))));
            }
        }
        if (extVersions.isEmpty()) report.add(Check.ok("extensions", "none besides plpgsql"));
        extVersions.forEach((name, version) -> {
            String where = String.join(", ", extDbs.get(name));
            String available = target.extensions().get(name);
            if (available == null) {
                report.add(Check.fail("extension " + name, name + " " + version + " (in " + where + ") is not packaged in "
                        + target.sharedir() + "/extension", "install " + name + " for PostgreSQL " + target.version().majorText()
                        + " (Debian: postgresql-" + target.version().majorText() + "-" + name + " or its contrib) before the window"));
            } else if (!available.equals(version)) {
                report.add(Check.ok("extension " + name, version + " in " + where + "; " + target.version().majorText() + " has " + available
                        + ": cutover runs ALTER EXTENSION " + name + " UPDATE after the upgrade"));
            } else {
                report.add(Check.ok("extension " + name, version + " in " + where + "; same version in " + target.version().majorText()));
            }
        });
        libraries = Libraries.of(old, databases);
        report.add(Libraries.presence(at, target, libraries, rehearse));
        if (!unlogged.isEmpty()) {
            report.add(Check.warn("unlogged tables", String.join(", ", unlogged),
                    "unlogged tables are not replicated: on a promoted standby they are empty, and a dump copies only what the source has"));
        }
        for (Check c : UpgradeBlockers.find(ctx, old, databases, oldVersion.num(), target.version().num(), method.equals("dump"))) report.add(c);
    }

    private record TargetState(String marker, boolean cluster) {
    }

    /** A new data directory that already exists must be an empty cluster of the target version with the same initdb settings. */
    private TargetState existingTargetChecks(InitdbSettings initdb) {
        ExecResult r = at.quietShell("d=" + ShellQuote.quote(pgdata) + "; if [ -f \"$d/PG_VERSION\" ]; then echo cluster; "
                + "elif [ -d \"$d\" ] && [ -n \"$(ls -A \"$d\")\" ]; then echo notempty; elif [ -d \"$d\" ]; then echo empty; else echo absent; fi; "
                + "(exec 3<>/dev/tcp/127.0.0.1/" + port + ") 2>/dev/null && echo portbusy || echo portfree", Duration.ofSeconds(20));
        String out = r.stdout();
        String marker = TargetMarker.read(at.getHost(), pgdata);
        if (TargetMarker.IN_PROGRESS.equals(marker)) {
            report.add(Check.ok("new data directory", pgdata + " was left unfinished by an interrupted upgrade: it will be made again"));
        } else if (out.contains("notempty")) {
            report.add(Check.fail("new data directory", pgdata + " exists, is not empty and is not a cluster", "give pgdata: an absent or empty directory"));
        } else if (out.contains("cluster")) {
            ExecResult c = at.quietShell(ShellQuote.quote(bindir + "/pg_controldata") + " -D " + ShellQuote.quote(pgdata), Duration.ofSeconds(20));
            InitdbSettings have = c.ok() ? InitdbSettings.fromControlData(ControlData.parse(c.stdout())) : null;
            List<String> diff = have == null ? List.of("pg_controldata failed: " + c.stderr().strip()) : initdb.differences(have);
            report.add(diff.isEmpty() ? Check.ok("new data directory", pgdata + (TargetMarker.isPrepared(marker)
                    ? " was prepared by a rehearsal (initdb with matching settings): the upgrade reuses it"
                    : " is an initialised cluster with matching settings"))
                    : Check.fail("new data directory", pgdata + ": " + String.join("; ", diff),
                    "remove it and let upgrade run initdb with the old cluster's settings"));
        } else {
            report.add(Check.ok("new data directory", pgdata + (out.contains("empty") ? " is empty" : " is absent") + ": initdb will create it with the settings above"));
        }
        if (port == old.getPort() && at == old) {
            report.add(Check.ok("port", port + ": " + old.getName() + "'s own, the new cluster takes it over once " + old.getName() + " stops"));
        } else {
            report.add(out.contains("portbusy") ? Check.fail("port", port + " is in use on " + at.getHost().name(), "give port: a free port")
                    : Check.ok("port", port + " is free"));
        }
        return new TargetState(marker, out.contains("cluster"));
    }

    private long duBytes(String dir) {
        ExecResult r = old.quietShell("du -sb " + ShellQuote.quote(dir) + " | cut -f1", Duration.ofMinutes(2));
        try {
            return Long.parseLong(r.stdout().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Hard links (link), reflinks (clone) between old and new data; free space for a copy. */
    private void diskChecks(long databaseBytes) {
        String olddata = old.getDataDirectory();
        String script = "o=" + ShellQuote.quote(olddata) + "; p=" + ShellQuote.quote(pgdata) + "\n"
                + "while [ ! -d \"$p\" ]; do p=$(dirname \"$p\"); done\n"
                + "t=\"$o/.cutover-fs-test.$$\"; : > \"$t\" || exit 0\n"
                + "ln \"$t\" \"$p/.cutover-link-test.$$\" 2>/dev/null && echo LINK\n"
                + "cp --reflink=always \"$t\" \"$p/.cutover-clone-test.$$\" 2>/dev/null && echo CLONE\n"
                + "rm -f \"$t\" \"$p/.cutover-link-test.$$\" \"$p/.cutover-clone-test.$$\"\n"
                + "echo \"FREE $(df -B1 --output=avail \"$p\" | tail -1 | tr -d ' ')\"\n"
                + "echo \"DIR $p\"\n";
        if (method.equals("dump")) {
            // The dump lands beside the new cluster, on its host; no links between the clusters.
            script = "p=" + ShellQuote.quote(pgdata) + "\nwhile [ ! -d \"$p\" ]; do p=$(dirname \"$p\"); done\n"
                    + "echo \"FREE $(df -B1 --output=avail \"$p\" | tail -1 | tr -d ' ')\"\necho \"DIR $p\"\n";
        }
        ExecResult r = (method.equals("dump") ? at : old).quietShell(script, Duration.ofSeconds(30));
        String out = r.stdout();
        long free = 0;
        String dir = pgdata;
        for (String line : out.split("\n")) {
            if (line.startsWith("FREE ")) free = parseLong(line.substring(5));
            if (line.startsWith("DIR ")) dir = line.substring(4);
        }
        boolean link = out.contains("LINK");
        boolean clone = out.contains("CLONE");
        long needed = method.equals("link") || method.equals("clone") ? 64L << 20 : databaseBytes + databaseBytes / 10 + (64L << 20);
        switch (method) {
            case "link" -> report.add(link ? Check.ok("hard links", olddata + " and " + dir + " are on one filesystem")
                    : Check.fail("hard links", olddata + " and " + dir + " cannot be hard-linked (different filesystems?)",
                    "put pgdata: on the old data's filesystem, or use method: 'copy'"));
            case "clone" -> report.add(clone ? Check.ok("reflinks", "the filesystem clones files (copy-on-write)")
                    : Check.fail("reflinks", "the filesystem of " + dir + " cannot clone files from " + olddata,
                    "use method: 'link' (same filesystem) or 'copy'"));
            default -> {
            }
        }
        report.add(free >= needed ? Check.ok("disk", free + " bytes free in " + dir + ", " + needed + " needed (" + databaseBytes + " bytes of databases)")
                : Check.fail("disk", free + " bytes free in " + dir + ", " + needed + " needed (" + databaseBytes + " bytes of databases)",
                "free space or choose a larger filesystem" + (method.equals("copy") || method.equals("dump") ? ", or use method: 'link'" : "")));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
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

    /**
     * pg_upgrade --check against the new cluster: the real one (made now and kept, "prepared", when
     * {@code prepare}; or the operator's existing empty one), else a scratch cluster removed afterwards.
     * Before it, each C library is LOADed in that cluster (pg_upgrade's --check stops at its first
     * problem and would not get to them). pg_upgrade's report files are kept and shown in full.
     */
    private void pgUpgradeCheck(Facts facts, boolean running, boolean prepare) {
        Install target = facts.target();
        InitdbSettings initdb = facts.initdb();
        boolean exists = facts.targetIsCluster();
        boolean scratch = !exists && !prepare;
        if (!exists && prepare) {
            try {
                ctx.info("preparing the new cluster now, so the window skips initdb: " + pgdata);
                // "in progress" until it is complete: a crash half-way must not leave a cluster marked ready
                String origin = old.getName() + " (" + old.getDataDirectory() + ")";
                TargetMarker.write(ctx, old.getHost(), pgdata, TargetMarker.IN_PROGRESS);
                left.add("the new cluster " + pgdata + " (initdb and configuration done) and its marker " + TargetMarker.path(pgdata)
                        + ": the next rehearsal and the upgrade reuse them; remove both to undo");
                NewCluster.create(ctx, old.getHost(), target, pgdata, port, initdb, facts.configFromFiles(), facts.hba(), origin);
                TargetMarker.write(ctx, old.getHost(), pgdata,
                        TargetMarker.prepared(NewCluster.fingerprint(target, port, facts.configFromFiles(), facts.hba(), origin)));
            } catch (CommandException e) {
                throw e;
            } catch (Exception e) {
                throw new CommandException("upgrade: preparing " + pgdata + " failed: " + e.getMessage(), e);
            }
            if (ctx.dryRun()) return;
        }
        String cluster = scratch ? pgdata.replaceAll("/+$", "") + ".cutover-check" : pgdata;
        String reports = reportDir(pgdata);
        int newPort = port == old.getPort() ? port + 1 : port;
        List<String> initdbArgv = new ArrayList<>(List.of(bindir + "/initdb", "-D", cluster));
        initdbArgv.addAll(initdb.initdbArgs(target.version()));
        List<String> upgrade = new ArrayList<>(List.of(bindir + "/pg_upgrade", "--check", "-b", old.getBindir(), "-B", bindir,
                "-d", old.getDataDirectory(), "-D", cluster, "-p", String.valueOf(old.getPort()), "-P", String.valueOf(newPort)));
        if (method.equals("link")) upgrade.add("--link");
        if (method.equals("clone")) upgrade.add("--clone");
        if (initdb.installUser() != null) upgrade.addAll(List.of("-U", initdb.installUser()));
        String script = "s=" + ShellQuote.quote(cluster) + "; r=" + ShellQuote.quote(reports) + "\n"
                + (scratch ? "rm -rf \"$s\"\n" + ShellQuote.join(initdbArgv) + " > /dev/null || exit 3\n" : "")
                + "rm -rf \"$r\" && mkdir -p \"$r\" || exit 4\n"
                // pg_upgrade puts its sockets into its working directory: a short private one
                + "w=$(mktemp -d /tmp/cutover-check.XXXXXX); cd \"$w\" || exit 4\n"
                + loadLibraries(newPort, initdb.installUser())
                + ShellQuote.join(upgrade) + "\nrc=$?\n"
                + "if [ -d \"$s/pg_upgrade_output.d\" ]; then cp -a \"$s/pg_upgrade_output.d/.\" \"$r/\" && rm -rf \"$s/pg_upgrade_output.d\"; fi\n"
                // pg_upgrade before 15 wrote its lists into the working directory
                + "find \"$w\" -maxdepth 1 -type f -exec mv {} \"$r/\" \\;\n"
                + "find \"$r\" -name '*.txt' -print0 | sort -z | while IFS= read -r -d '' f; do echo \"cutover:file $f\"; sed 's/^/cutover:line /' \"$f\"; done\n"
                + "cd /; rm -rf \"$w\"" + (scratch ? " \"$s\"" : "") + "\n"
                + "if [ $rc = 0 ] && [ $loadfail = 0 ]; then rm -rf \"$r\"; else echo \"cutover:kept $r\"; fi\n"
                + "exit $rc\n";
        ctx.action(old.getHost().name() + "$ " + ShellQuote.join(upgrade) + (scratch ? "  (on a scratch cluster " + cluster + ", removed after)" : ""));
        RehearsalOutput out = new RehearsalOutput(ctx);
        ExecResult r;
        try {
            r = old.getHost().exec(ExecRequest.shell(script, Duration.ofMinutes(30), out::stdout, out::stderr, ctx.cancellation()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("upgrade: cancelled during pg_upgrade --check");
        } catch (java.io.IOException e) {
            throw new CommandException("upgrade: " + e.getMessage(), e);
        }
        if (out.kept() != null) left.add("pg_upgrade's report and logs in " + out.kept());
        if (r.exitCode() == 4) {
            report.add(Check.fail("pg_upgrade --check", "could not create " + reports + " for its report (or a working directory in /tmp)",
                    "let postgres write next to the new data directory"));
            return;
        }
        if (!libraries.isEmpty()) {
            report.add(out.loadStartFailed() != null
                    ? Check.fail("C libraries load", "could not start the new cluster " + cluster + " to load them: " + out.loadStartFailed(),
                    "fix what its log says (" + reports + "/load-libraries.log), then rehearse again")
                    : Libraries.loaded(libraries, Libraries.parseLoad(out.loads(), libraries), target.version().majorText(),
                    (scratch ? "a scratch " : "the new ") + target.version().majorText() + " cluster"));
        }
        if (r.ok()) {
            report.add(Check.ok("pg_upgrade --check", "clusters are compatible" + (method.equals("link") ? " for --link" : "")
                    + (running ? " (checked live)" : "")));
            if (measure && report.passed()) {
                Check outage = report.add(OutageRehearsal.measure(ctx, old, facts, bindir, pgdata, method, facts.cores()));
                if (outage.status() != Check.Status.OK) left.add("the scratch clusters of the measurement in " + OutageRehearsal.scratchDir(pgdata));
            }
            return;
        }
        String why = r.exitCode() == 3 ? "initdb of the scratch cluster failed" : whyPgUpgradeStopped(out.lines(), r.exitCode());
        for (Check c : PgUpgradeReport.checks(ctx, out.files())) report.add(c);
        report.add(Check.fail("pg_upgrade --check", why + (out.kept() == null ? "" : "; its report and logs: " + out.kept()),
                "pg_upgrade stops at the first problem it finds: fix what it and the checks above list, then rehearse again"));
    }

    /**
     * The line that says why pg_upgrade stopped: the check it marked "fatal", else the last thing it
     * said before "Failure, exiting" (a non-empty new cluster, a server that would not start).
     */
    static String whyPgUpgradeStopped(List<String> lines, int exit) {
        for (String l : lines) if (l.strip().endsWith("fatal")) return l.strip().replaceAll("\\s{2,}", " ");
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals("Failure, exiting")) end = i;
        for (int i = end - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).strip();
        return "exit " + exit;
    }

    /**
     * Shell lines that start the new cluster {@code $s} on a private socket, LOAD each library the old
     * cluster's functions use, and stop it; {@code loadfail} is 1 when any did not load.
     */
    private String loadLibraries(int newPort, String user) {
        if (libraries.isEmpty()) return "loadfail=0\n";
        String start = ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$s\" -w -t 60 -l \"$r/load-libraries.log\" -o \"-p " + newPort
                + " -c listen_addresses='' -c unix_socket_directories='$w'\" start > /dev/null 2>&1";
        String stop = ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$s\" -m fast -w -t 60 stop > /dev/null 2>&1";
        return "loadfail=0\n"
                + "if " + start + "; then\n" + Libraries.loadScript(bindir, newPort, user, libraries) + stop + "\n"
                + "else loadfail=1; echo \"" + RehearsalOutput.LOAD_START_FAILED + "$(tail -3 \"$r/load-libraries.log\" | tr '\\n' ' ')\"; fi\n";
    }

    /** A dump has no pg_upgrade --check, but its restore needs the same libraries: LOAD each in a server of the new version. */
    private void dumpLibraryLoad(Facts facts) {
        if (libraries.isEmpty()) return;
        String version = facts.target().version().majorText();
        if (at != old && at.isRunning()) {
            report.add(Libraries.loaded(libraries, Libraries.loadIn(at, libraries), version, at.getName()));
            return;
        }
        String cluster = pgdata.replaceAll("/+$", "") + ".cutover-check";
        String reports = reportDir(pgdata);
        List<String> initdbArgv = new ArrayList<>(List.of(bindir + "/initdb", "-D", cluster));
        initdbArgv.addAll(facts.initdb().initdbArgs(facts.target().version()));
        String script = "s=" + ShellQuote.quote(cluster) + "; r=" + ShellQuote.quote(reports) + "\n"
                + "rm -rf \"$s\" \"$r\" && mkdir -p \"$r\" || exit 4\n"
                + ShellQuote.join(initdbArgv) + " > /dev/null || exit 3\n"
                + "w=$(mktemp -d /tmp/cutover-check.XXXXXX) || exit 4\n"
                + loadLibraries(port, facts.initdb().installUser())
                + "rm -rf \"$w\" \"$s\"\n"
                + "if [ $loadfail = 0 ]; then rm -rf \"$r\"; else echo \"cutover:kept $r\"; fi\n";
        ctx.action(at.getHost().name() + "$ LOAD each C library in a scratch " + version + " cluster " + cluster + " (removed after)");
        RehearsalOutput out = new RehearsalOutput(ctx);
        ExecResult r;
        try {
            r = at.getHost().exec(ExecRequest.shell(script, Duration.ofMinutes(10), out::stdout, out::stderr, ctx.cancellation()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("upgrade: cancelled while loading libraries");
        } catch (java.io.IOException e) {
            throw new CommandException("upgrade: " + e.getMessage(), e);
        }
        if (out.kept() != null) left.add("the log of loading the libraries in " + out.kept());
        if (!r.ok() || out.loadStartFailed() != null) {
            report.add(Check.fail("C libraries load", "could not run a scratch " + version + " cluster to load them"
                    + (out.loadStartFailed() != null ? ": " + out.loadStartFailed() : " (exit " + r.exitCode() + ")"),
                    "fix what stops initdb or the server on " + at.getHost().name() + ", then rehearse again"));
            return;
        }
        report.add(Libraries.loaded(libraries, Libraries.parseLoad(out.loads(), libraries), version, "a scratch " + version + " cluster"));
    }
}
