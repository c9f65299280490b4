package dev.cutover.upgrade;

import java.time.Duration;
import java.util.List;
import dev.cutover.spi.Check;
import dev.cutover.host.ExecResult;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.ControlData;
import dev.cutover.pg.InitdbSettings;

/** Where the new cluster goes: its data directory (absent, empty, or a matching prepared cluster), its port, links and free disk. */
final class TargetChecks extends PreflightPart {
    TargetChecks(PreflightPart same) {
        super(same);
    }

    record TargetState(String marker, boolean cluster) {
    }

    /** A new data directory that already exists must be an empty cluster of the target version with the same initdb settings. */
    TargetState existing(InitdbSettings initdb) {
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
                    // pg_controldata shows checksums and WAL segment size only: encoding and locale are pg_upgrade --check's to judge.
                    : " is an initialised cluster with matching data checksums and WAL segment size (its encoding and locale are "
                    + "checked by pg_upgrade --check: rehearse with check: true)"))
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

    /** Hard links (link), reflinks (clone) between old and new data; free space for a copy. */
    void disk(long databaseBytes) {
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
        if (databaseBytes < 0 && (method.equals("copy") || method.equals("dump"))) {
            report.add(Check.fail("disk", "the size of " + olddata + " could not be measured (du failed), so the space a " + method
                    + " needs is unknown", "start " + old.getName() + " for a full pre-flight, or check du -sb " + olddata + " on its host"));
            return;
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
}
