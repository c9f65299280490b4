package dev.cutover.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.host.ExecResult;
import dev.cutover.host.FileAttributes;
import dev.cutover.pg.Server;
import dev.cutover.pg.WalDir;
import dev.cutover.pg.Lsn;
import dev.cutover.pg.TimelineHistory;

/**
 * {@code fixHistory up} (typed {@code fix-history up}): recreates the timeline history files a
 * server is missing (old pg_upgrade versions lost them), so that standbys can follow its timeline
 * again instead of failing with "could not receive timeline history file from the primary".
 */
public final class FixHistoryCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("fixHistory",
            "recreate a missing timeline history file (%08X.history) so standbys can stream again",
            "fixHistory up   (or: fix-history up)",
            OptionSpec.of("archive", "the WAL archive directory on the server's host: read, and written too"),
            OptionSpec.of("dryRun", "show the file instead of writing it"),
            OptionSpec.of("force", "repair a history file that exists but is malformed"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }
    private static final Pattern SEGMENT = Pattern.compile("^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$");
    /** pg_waldump's line for the record that opened a timeline: END_OF_RECOVERY (promote) or a shutdown checkpoint (end of recovery without fast promotion). */
    private static final Pattern OPENING = Pattern.compile("lsn: ([0-9A-F]+/[0-9A-F]+),.*desc: (?:END_OF_RECOVERY|CHECKPOINT_SHUTDOWN)\\b.*?tli (\\d+); prev tli (\\d+)");

    /** What was (or would be) written. */
    public record Fixed(String server, int timeline, Map<String, String> files, List<String> warnings, boolean written, String verified)
            implements CommandResult {
        @Override
        public String summary() {
            if (files.isEmpty()) return server + ": timeline " + timeline + " history is present and valid: nothing to do";
            return server + ": " + (written ? "recreated " : "would write ") + String.join(", ", files.keySet())
                    + (verified == null ? "" : "; " + verified) + (warnings.isEmpty() ? "" : " (" + warnings.size() + " warning(s))");
        }

        @Override
        public List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            files.forEach((f, text) -> {
                for (String line : text.strip().split("\n")) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("file", f);
                    r.put("line", line.replace("\t", " │ "));
                    rows.add(r);
                }
            });
            return rows;
        }
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server server)) throw new CommandException("fix-history: which server? fix-history up");
        boolean running = server.isRunning();
        int versionNum = running ? server.getVersionNum() : server.dataDirectoryVersion().num();
        int tli = running ? server.getTimeline() : server.controlData().checkpointTimeline();
        if (tli <= 1) {
            ctx.info(server.getName() + " is on timeline 1: it has no history to fix");
            return new Fixed(server.getName(), tli, Map.of(), List.of(), false, null);
        }
        String walDir = WalDir.path(server, versionNum);
        List<String> wal = new ArrayList<>(WalDir.list(server, running, versionNum));
        String archive = call.string("archive", null);
        if (archive != null) wal.addAll(server.getHost().list(archive));

        // The newest ancestor (or the timeline itself) whose file exists and is valid is the base.
        TimelineHistory base = null;
        int from = 1;
        for (int t = tli; t >= 2; t--) {
            String name = TimelineHistory.fileName(t);
            if (!wal.contains(name)) continue;
            String text = read(server, walDir, archive, name);
            try {
                base = TimelineHistory.parse(t, text);
                from = t;
                break;
            } catch (IllegalArgumentException e) {
                if (!call.flag("force", false)) {
                    throw CommandException.refused("fix-history refused: " + name + " exists but is malformed (" + e.getMessage()
                            + "); nothing was changed. Look at it, then pass force: true to rebuild it");
                }
                ctx.warn(name + " is malformed (" + e.getMessage() + "): rebuilding it (force: true)");
            }
        }
        if (from == tli) {
            ctx.info(TimelineHistory.fileName(tli) + " is present and valid");
            return new Fixed(server.getName(), tli, Map.of(), List.of(), false, null);
        }
        long segSize = segmentSize(server, running);
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        TimelineHistory history = base != null ? base : new TimelineHistory(1, List.of());
        String when = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (int t = from + 1; t <= tli; t++) {
            TimelineHistory.Entry entry = switchPoint(ctx, server, walDir, wal, t, segSize, when, warnings);
            history = history.plus(t, entry);
            files.put(TimelineHistory.fileName(t), history.text());
        }
        boolean dry = call.flag("dryRun", false) || ctx.dryRun();
        files.forEach((name, text) -> {
            ctx.out("--- " + walDir + "/" + name);
            for (String l : text.strip().split("\n")) ctx.out(l);
        });
        if (dry) return new Fixed(server.getName(), tli, files, warnings, false, null);
        for (var e : files.entrySet()) {
            byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
            ctx.mutate("write " + walDir + "/" + e.getKey() + " (owner postgres, mode 0600)", () -> {
                server.getHost().writeFileAtomic(walDir + "/" + e.getKey(), bytes, FileAttributes.postgres600());
                if (archive != null) server.getHost().writeFileAtomic(archive + "/" + e.getKey(), bytes, FileAttributes.postgres600());
                return null;
            });
        }
        String verified = running ? verify(server, tli, files.get(TimelineHistory.fileName(tli))) : "not verified: the server is not running";
        ctx.info(verified);
        return new Fixed(server.getName(), tli, files, warnings, true, verified);
    }

    /** Where timeline t branched off its parent: exact from the record that opened it, else the start of its oldest WAL left. */
    private static TimelineHistory.Entry switchPoint(CommandContext ctx, Server server, String walDir, List<String> wal, int t, long segSize,
                                                     String when, List<String> warnings) {
        String tliHex = String.format("%08X", t);
        List<String> segments = wal.stream().filter(n -> SEGMENT.matcher(n).matches() && n.startsWith(tliHex)).sorted().toList();
        String why = "its first WAL segment is gone";
        if (!segments.isEmpty()) {
            String first = segments.get(0);
            why = "no record opening it was found in " + first + " (pg_waldump could not read it, or the segment is not the first)";
            ExecResult r = server.quietTool("pg_waldump", List.of(walDir + "/" + first), Map.of("LC_ALL", "C"), Duration.ofSeconds(60));
            for (String line : r.stdout().split("\n")) {
                Matcher m = OPENING.matcher(line);
                if (m.find() && Integer.parseInt(m.group(2)) == t) {
                    Lsn record = Lsn.parse(m.group(1));
                    Lsn sw = beforePageHeader(record, segSize);
                    ctx.info("timeline " + t + " opened at " + record + " (" + first + "): switch point " + sw);
                    return new TimelineHistory.Entry(Integer.parseInt(m.group(3)), sw,
                            "recreated by cutover " + when + " from the record that opened timeline " + t);
                }
            }
        }
        // No opening record left: the oldest segment of t (or of a later timeline) is still no later than anything a standby can need.
        List<String> later = wal.stream().filter(n -> {
            Matcher m = SEGMENT.matcher(n);
            return m.matches() && Integer.parseInt(m.group(1), 16) >= t;
        }).sorted((a, b) -> a.substring(8).compareTo(b.substring(8))).toList();
        if (later.isEmpty()) throw new CommandException("fix-history: no WAL of timeline " + t + " or later in " + walDir + ": cannot place its switch point");
        String oldest = later.get(0);
        Matcher m = SEGMENT.matcher(oldest);
        m.matches();
        long lsn = Long.parseLong(m.group(2), 16) * 0x1_0000_0000L + Long.parseLong(m.group(3), 16) * segSize;
        Lsn sw = new Lsn(lsn);
        String warning = "timeline " + t + ": " + why + ", so the exact switch point is unknown; using " + sw
                + ", the start of the oldest WAL segment left (" + oldest + "): no later than anything a standby can still need";
        ctx.warn(warning);
        warnings.add(warning);
        return new TimelineHistory.Entry(t - 1, sw, "recreated by cutover " + when + " (approximate: start of oldest WAL segment left)");
    }

    /** The opening record follows a page header when the old timeline ended exactly at a page boundary; the switch is the boundary. */
    static Lsn beforePageHeader(Lsn record, long segSize) {
        long v = record.value();
        if (v % segSize == 40) return new Lsn(v - 40);
        if (v % 8192 == 24) return new Lsn(v - 24);
        return record;
    }

    private static long segmentSize(Server server, boolean running) {
        try {
            String v = server.controlData().get("Bytes per WAL segment");
            if (v != null) return Long.parseLong(v.strip());
        } catch (RuntimeException e) {
            // fall through
        }
        return 16L << 20;
    }

    private static String read(Server server, String walDir, String archive, String name) throws Exception {
        try {
            return new String(server.getHost().readFile(walDir + "/" + name), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            if (archive == null) throw e;
            return new String(server.getHost().readFile(archive + "/" + name), StandardCharsets.UTF_8);
        }
    }

    /** Asks the server for the file the way a standby does: TIMELINE_HISTORY over a replication connection. */
    private static String verify(Server server, int tli, String expected) {
        var c = server.getConnInfo();
        String conninfo = "host=" + c.host() + " port=" + c.port() + " user=" + c.user() + " dbname=replication replication=true connect_timeout=10";
        ExecResult r = server.quietTool("psql", List.of("-X", "-At", "-w", "-d", conninfo, "-c", "TIMELINE_HISTORY " + tli),
                c.toolEnv(), Duration.ofSeconds(30));
        if (!r.ok()) return "not verified: TIMELINE_HISTORY " + tli + " failed: " + r.stderr().strip();
        String out = r.stdout();
        return out.contains(expected.strip().split("\n")[0].split("\t")[1]) && out.startsWith(TimelineHistory.fileName(tli))
                ? "verified: the server sends " + TimelineHistory.fileName(tli) + " over the replication protocol (TIMELINE_HISTORY " + tli + ")"
                : "NOT verified: TIMELINE_HISTORY " + tli + " returned: " + out.strip();
    }
}
