package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.spi.Durations;

/**
 * The expected outage, measured rather than guessed: the rehearsal copies the old cluster's schema
 * (no data) into a scratch cluster of the old version, runs the window's pg_upgrade on it (same
 * method, same jobs) and starts the result, timing both. pg_upgrade's time grows with the number of
 * objects, not with the data, for link and clone; for copy the data files' copy comes on top, and the
 * estimate says so. The scratch clusters live next to the new data directory and are removed after a
 * good run; a failed one is kept for its logs (a pg_upgrade that fails here would fail in the window).
 */
public final class OutageRehearsal {
    private static final String MARK = "cutover:measure ";
    /**
     * The old cluster's settings go into both copies, so pg_upgrade meets the server it will meet in
     * the window (jit, memory, preloaded libraries); but nothing that reaches outside the copy: its WAL
     * must not land in the real archive, and its commits must not wait for the real standbys.
     */
    static final java.util.Set<String> OUTSIDE = java.util.Set.of("archive_mode", "archive_command", "archive_library",
            "synchronous_standby_names", "listen_addresses", "unix_socket_directories", "ssl");

    /** A postgresql.conf addition carrying {@code config} for a copy (see {@link #OUTSIDE}). */
    static String copyConfig(java.util.Map<String, String> config, java.util.Set<String> known) {
        java.util.Map<String, String> mine = new java.util.LinkedHashMap<>(config);
        mine.keySet().removeAll(OUTSIDE);
        ConfigCarryOver.Result carried = ConfigCarryOver.of(mine, known);
        StringBuilder sb = new StringBuilder("\n# the old cluster's settings, carried by cutover into this scratch copy\n");
        carried.kept().forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        return sb.append("archive_mode = off\n").toString();
    }

    /** Shell lines appending {@code text} to a file, verbatim. */
    private static String append(String file, String text) {
        return "cat >> " + file + " <<'CUTOVER_CONF_EOF'\n" + text + "CUTOVER_CONF_EOF\n";
    }

    private OutageRehearsal() {
    }

    public static String scratchDir(String pgdata) {
        return pgdata.replaceAll("/+$", "") + ".cutover-measure";
    }

    public static Check measure(CommandContext ctx, Server old, UpgradePreflight.Facts facts, String bindir, String pgdata, String method, int jobs) {
        if (!facts.oldRunning()) {
            return Check.warn("expected outage", "not measured: " + old.getName() + " is not running (its schema is copied from the running server)",
                    "rehearse with the old cluster running");
        }
        String oldBin = old.getBindir();
        String m = scratchDir(pgdata);
        String user = facts.initdb().installUser();
        List<String> userArg = user == null ? List.of() : List.of("-U", user);
        int oldPort = 50_432;
        int newPort = 50_433;
        List<String> oldInitdb = new ArrayList<>(List.of(oldBin + "/initdb", "-D", m + "/old"));
        oldInitdb.addAll(facts.initdb().initdbArgs(facts.oldVersion()));
        List<String> newInitdb = new ArrayList<>(List.of(bindir + "/initdb", "-D", m + "/new"));
        newInitdb.addAll(facts.initdb().initdbArgs(facts.target().version()));
        List<String> dumpall = new ArrayList<>(List.of(oldBin + "/pg_dumpall", "--schema-only", "--no-tablespaces", "-p", String.valueOf(old.getPort())));
        dumpall.addAll(userArg);
        List<String> restore = new ArrayList<>(List.of(oldBin + "/psql", "-X", "-q", "-p", String.valueOf(oldPort), "-d", "postgres"));
        restore.addAll(userArg);
        List<String> upgrade = new ArrayList<>(List.of(bindir + "/pg_upgrade", "-b", oldBin, "-B", bindir, "-d", m + "/old", "-D", m + "/new",
                "-p", String.valueOf(oldPort), "-P", String.valueOf(newPort), "-j", String.valueOf(jobs)));
        if (!method.equals("copy")) upgrade.add("--" + method);
        upgrade.addAll(userArg);
        String sockets = " -c listen_addresses='' -c unix_socket_directories='$w'";
        String script = "m=" + ShellQuote.quote(m) + "\n"
                + "rm -rf \"$m\" && mkdir -p \"$m\" || exit 4\n"
                + "w=$(mktemp -d /tmp/cutover-measure.XXXXXX) || exit 4\n"
                + "ms() { echo $(( $(date +%s%N) / 1000000 )); }\n"
                // the old server's own socket (pg_upgrade reads it the same way), else the address cutover uses
                + "h=$(sed -n 5p " + ShellQuote.quote(old.getDataDirectory() + "/postmaster.pid") + " 2>/dev/null); h=${h:-"
                + ShellQuote.quote(old.getConnInfo().host()) + "}\n"
                + ShellQuote.join(oldInitdb) + " > \"$m/initdb.log\" 2>&1 || exit 3\n"
                + append("\"$m/old/postgresql.conf\"", copyConfig(facts.configFromFiles(), facts.configFromFiles().keySet()))
                + ShellQuote.quote(oldBin + "/pg_ctl") + " -D \"$m/old\" -w -t 60 -l \"$m/old.log\" -o \"-p " + oldPort + sockets
                + " -c fsync=off\" start > /dev/null || exit 3\n"
                + ShellQuote.join(dumpall) + " -h \"$h\" > \"$m/schema.sql\" 2> \"$m/dump.log\" || { echo \"" + MARK + "dump-failed $(tail -1 \"$m/dump.log\")\"; exit 5; }\n"
                + ShellQuote.join(restore) + " -h \"$w\" -f \"$m/schema.sql\" > \"$m/restore.log\" 2>&1\n"
                // the install user exists in the copy already
                + "echo \"" + MARK + "restore-errors $(grep 'ERROR' \"$m/restore.log\" | grep -vc 'already exists')\"\n"
                + ShellQuote.quote(oldBin + "/pg_ctl") + " -D \"$m/old\" -m fast -w -t 60 stop > /dev/null || exit 3\n"
                + ShellQuote.join(newInitdb) + " >> \"$m/initdb.log\" 2>&1 || exit 3\n"
                + append("\"$m/new/postgresql.conf\"", copyConfig(facts.configFromFiles(), facts.target().settings()))
                + "cd \"$w\" || exit 4\n"
                + "t0=$(ms); " + ShellQuote.join(upgrade) + " > \"$m/pg_upgrade.out\" 2>&1; rc=$?; t1=$(ms)\n"
                + "echo \"" + MARK + "pg_upgrade $rc $((t1 - t0))\"\n"
                + "if [ $rc = 0 ]; then\n"
                + "  t0=$(ms); " + ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$m/new\" -w -t 600 -l \"$m/new.log\" -o \"-p " + newPort + sockets
                + "\" start > /dev/null; s=$?; t1=$(ms)\n"
                + "  echo \"" + MARK + "start $s $((t1 - t0))\"\n"
                + "  [ $s = 0 ] || tail -5 \"$m/new.log\" | sed 's/^/" + MARK + "log /'\n"
                + "  " + ShellQuote.quote(bindir + "/pg_ctl") + " -D \"$m/new\" -m fast -w -t 60 stop > /dev/null 2>&1\n"
                + "  cd /; rm -rf \"$w\" \"$m\"\n"
                + "else\n"
                + "  tail -5 \"$m/pg_upgrade.out\" | sed 's/^/" + MARK + "log /'\n"
                + "  [ -d \"$m/new/pg_upgrade_output.d\" ] && mv \"$m/new/pg_upgrade_output.d\" \"$m/\"\n"
                + "  cd /; rm -rf \"$w\"\n"
                + "fi\n";
        ctx.action(old.getHost().name() + "$ " + ShellQuote.join(upgrade) + "  (on a schema-only copy of " + old.getName() + " in " + m
                + ", removed after: the measurement of the outage)");
        if (ctx.dryRun()) return Check.ok("expected outage", "not measured in a dry run");
        ctx.info("measuring the outage: pg_upgrade " + (method.equals("copy") ? "" : "--" + method) + " of a schema-only copy of " + old.getName()
                + " in " + m);
        List<String> lines = new ArrayList<>();
        ExecResult r;
        try {
            r = old.getHost().exec(ExecRequest.shell(script, Duration.ofHours(2), l -> {
                if (l.startsWith(MARK)) lines.add(l.substring(MARK.length()));
            }, null, ctx.cancellation()).withEnv(old.getConnInfo().toolEnv()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("upgrade: cancelled while measuring the outage");
        } catch (java.io.IOException e) {
            throw new CommandException("upgrade: " + e.getMessage(), e);
        }
        long relations = 0;
        for (String db : old.databases()) relations += ((Number) old.sqlIn(db, "select count(*) as n from pg_class where oid >= 16384").get(0).get("n")).longValue();
        return verdict(lines, r.exitCode(), method, m, facts.databaseBytes(), relations);
    }

    /** The check from the script's marked lines (pure: tested without servers). */
    static Check verdict(List<String> lines, int exit, String method, String m, long databaseBytes, long relations) {
        long restoreErrors = 0;
        Long upgradeMs = null;
        int upgradeRc = -1;
        Long startMs = null;
        int startRc = -1;
        List<String> log = new ArrayList<>();
        String dumpFailed = null;
        for (String l : lines) {
            String[] f = l.split(" ", 3);
            switch (f[0]) {
                case "restore-errors" -> restoreErrors = Long.parseLong(f[1].strip());
                case "pg_upgrade" -> {
                    upgradeRc = Integer.parseInt(f[1]);
                    upgradeMs = Long.parseLong(f[2].strip());
                }
                case "start" -> {
                    startRc = Integer.parseInt(f[1]);
                    startMs = Long.parseLong(f[2].strip());
                }
                case "log" -> log.add(l.substring(4).strip());
                case "dump-failed" -> dumpFailed = l.substring("dump-failed".length()).strip();
                default -> {
                }
            }
        }
        if (upgradeMs == null) {
            String why = dumpFailed != null ? "pg_dumpall --schema-only of the old cluster failed: " + dumpFailed
                    : exit == 3 ? "a scratch cluster could not be made (logs in " + m + ")" : exit == 4 ? "could not create " + m : "exit " + exit;
            return Check.warn("expected outage", "not measured: " + why, "fix that and rehearse again to know the outage before the window");
        }
        String copyNote = restoreErrors > 0 ? " (" + restoreErrors + " statements of the schema did not restore into the copy: see " + m
                + "/restore.log)" : "";
        if (upgradeRc != 0) {
            String detail = "pg_upgrade " + flag(method) + " failed on a schema-only copy of the old cluster" + copyNote + ": "
                    + String.join(" ", log) + "; kept in " + m;
            return restoreErrors > 0 ? Check.warn("expected outage", "not measured: " + detail, "read " + m + "/pg_upgrade.out")
                    : Check.fail("pg_upgrade on a copy", detail, "read " + m + "/pg_upgrade.out and its pg_upgrade_output.d: the window's "
                    + "pg_upgrade would fail the same way");
        }
        if (startMs != null && startRc != 0) {
            return Check.fail("new server's start on a copy", "pg_upgrade " + flag(method) + " succeeded on a schema-only copy of the old cluster"
                    + copyNote + ", but the upgraded copy did not start (pg_ctl exit " + startRc + ")" + (log.isEmpty() ? "" : ": " + String.join(" ", log)),
                    "find why in that log (settings, libraries, memory): the window's new server would not start either");
        }
        Duration up = Duration.ofMillis(upgradeMs);
        Duration start = Duration.ofMillis(startMs == null || startRc != 0 ? 0 : startMs);
        String estimate = "about " + Durations.format(up.plus(start)) + ": pg_upgrade " + flag(method) + " took " + Durations.format(up)
                + " on a schema-only copy of the old cluster (" + relations + " relations in pg_class)" + copyNote
                + (startRc == 0 ? ", the new server's start " + Durations.format(start) : ", the new server's start was not measured")
                + "; add the old server's shutdown (its last checkpoint)"
                + (method.equals("copy") ? " and the copy of " + databaseBytes + " bytes of data files, not in this measurement" : "");
        return Check.ok("expected outage", estimate);
    }

    private static String flag(String method) {
        return method.equals("copy") ? "(copy)" : "--" + method;
    }
}
