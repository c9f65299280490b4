package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.FileAttributes;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.ReplicationStatus;
import dev.cutover.spi.Durations;

/**
 * {@code replicate from: old, to: neu, slot: 'cutover'}: pre-flight on the primary, pg_basebackup
 * on the target's host (WAL streamed, slot, standby configuration as the version wants it), the
 * target's port set, started, and waited for until the primary shows it streaming.
 */
public final class ReplicateCommand implements Command {
    /** The streaming mode's options; {@code mode: 'logical'} adds its own, refused without it. */
    private static final List<OptionSpec> STREAMING_OPTIONS = List.of(
            OptionSpec.of("from", "the primary (a connected server)"),
            OptionSpec.of("to", "the new standby (connected with pgdata: and a port in its url)"),
            OptionSpec.of("slot", "replication slot on the primary (default cutover_<name>)"),
            OptionSpec.of("primaryHost", "how the target's host reaches the primary (default: the primary's url host)"),
            OptionSpec.of("primaryPort", "the primary's port as seen from the target's host"),
            OptionSpec.of("timeout", "how long to wait for streaming after start (default 60s)"),
            OptionSpec.of("margin", "free-disk margin over the database size, in bytes (default 10% + 256 MB)"));
    private static final CommandSpec SPEC = CommandSpec.of("replicate",
            "clone the primary onto the target with pg_basebackup and stream from it (pre-flight first)",
            "replicate from: old, to: neu, slot: 'cutover'").with(STREAMING_OPTIONS).with(Logical.REPLICATE_OPTIONS);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    private static final String SERVER = "a connected server (x = connect 'x', url: ...)";
    private static final Pattern PROGRESS = Pattern.compile("^\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\).*");

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (call.has("mode")) {
            // Logical replication into a running server of the new version: its own package does the work.
            return Logical.replicate(ctx, call, call.required("from", Server.class, SERVER), call.required("to", Server.class, SERVER));
        }
        call.checkOptions(STREAMING_OPTIONS);
        Server primary = call.required("from", Server.class, SERVER);
        Server target = call.required("to", Server.class, SERVER);
        String slot = call.string("slot", "cutover_" + target.getName().replaceAll("[^a-z0-9_]", "_").toLowerCase());
        if (!slot.matches("[a-z0-9_]{1,63}")) throw new CommandException("replicate: slot '" + slot + "' must be lower-case letters, digits and _");
        Duration timeout = call.duration("timeout", Duration.ofSeconds(60));

        if (!primary.isRunning()) throw CommandException.refused("replicate: the primary " + primary.getName() + " is not running");
        String pgdata = target.getPgdata();
        if (pgdata == null) throw new CommandException("replicate: " + target.getName() + " has no pgdata: connect it with pgdata: '/path'");
        if (target.getBindir() == null) target.detectBindir(primary.pgVersion());
        if (target.getBindir() == null) throw new CommandException("replicate: " + target.getName() + " has no bindir: connect it with bindir:");

        // Already a standby of this primary? Say so and report, instead of failing on a non-empty directory.
        if (target.isRunning()) {
            if (target.getInRecovery() && target.systemIdentifier().equals(primary.systemIdentifier())) {
                target.setReplicationSlot(ReplicationProbe.slotOf(target) != null ? ReplicationProbe.slotOf(target) : slot);
                ReplicationStatus s = ReplicationProbe.status(primary, target, target.getReplicationSlot());
                ctx.info(target.getName() + " already streams from " + primary.getName() + ": nothing to do");
                return s;
            }
            throw CommandException.refused("replicate: " + target.getName() + " is running and is not a standby of " + primary.getName()
                    + " (different system identifier, or not in recovery): nothing was changed");
        }

        ConnInfo pc = primary.getConnInfo();
        String host = call.string("primaryHost", pc.host());
        int port = Integer.parseInt(call.string("primaryPort", String.valueOf(pc.port())));
        Map<String, String> env = pc.toolEnv();

        boolean slotExists = preflight(ctx, primary, target, slot, host, port, env, call);

        List<String> args = new ArrayList<>(List.of("-D", pgdata, "-h", host, "-p", String.valueOf(port), "-U", pc.user(),
                "-X", "stream", "-R", "-c", "fast", "-P", "-v", "-S", slot, "-w"));
        if (!slotExists) args.add("-C");
        List<String> argv = new ArrayList<>();
        argv.add(target.getBindir() + "/pg_basebackup");
        argv.addAll(args);
        ExecRequest req = ExecRequest.of(argv, null, ctx::out, line -> {
            Matcher m = PROGRESS.matcher(line);
            if (m.matches()) {
                ctx.progress("copying: " + m.group(1) + " / " + m.group(2) + " kB (" + m.group(3) + "%)");
            } else {
                ctx.out(OutputKind.INFO, line);
            }
        }, ctx.cancellation()).withEnv(env);
        long t0 = System.nanoTime();
        ExecResult copy;
        try {
            copy = ctx.mutate(target.getHost().name() + "$ " + req.display(), () -> target.getHost().exec(req));
        } catch (InterruptedException e) {
            cleanUp(ctx, primary, target, pgdata, slot, !slotExists);
            throw e;
        }
        if (copy == null) return null; // dry run: the action list says what would happen
        if (!copy.ok()) {
            cleanUp(ctx, primary, target, pgdata, slot, !slotExists);
            String err = copy.stderr();
            int history = err.indexOf("TIMELINE_HISTORY");
            if (history >= 0 || err.contains("timeline history")) {
                // The classic after an old pg_upgrade: the primary lost its timeline history file.
                String line = err.substring(err.lastIndexOf('\n', Math.max(history, 0)) + 1).lines().findFirst().orElse("").strip();
                throw new CommandException("replicate: " + primary.getName() + " cannot send its timeline history (" + line
                        + "); the half-made " + pgdata + " was removed. Run fix-history " + primary.getName() + ", then replicate again");
            }
            throw new CommandException("replicate: pg_basebackup failed (exit " + copy.exitCode() + "): " + lastLine(copy.stderr())
                    + "; the half-made " + pgdata + " was removed");
        }
        ctx.info("copied in " + Durations.format(Duration.ofNanos(System.nanoTime() - t0)));
        trimConninfo(ctx, primary, target, pgdata);

        setPort(ctx, target, pgdata);
        target.setReplicationSlot(slot);
        target.start();
        return waitForStreaming(ctx, primary, target, slot, timeout);
    }

    private boolean preflight(CommandContext ctx, Server primary, Server target, String slot, String host, int port,
                              Map<String, String> env, Invocation call) {
        CheckReport report = new CheckReport("replicate " + primary.getName() + " → " + target.getName(), ctx);
        Map<String, String> s = primary.settings("wal_level", "max_wal_senders", "max_replication_slots");
        String wal = s.get("wal_level");
        report.add(wal.equals("replica") || wal.equals("logical") || wal.equals("hot_standby") || wal.equals("archive")
                ? Check.ok("wal_level", wal)
                : Check.fail("wal_level", wal, "ALTER SYSTEM SET wal_level = replica, then restart " + primary.getName()));

        int senders = Integer.parseInt(s.get("max_wal_senders"));
        long used = ((Number) primary.value("select count(*) from pg_stat_replication")).longValue();
        report.add(senders - used >= 2 ? Check.ok("free wal senders", (senders - used) + " of " + senders)
                : Check.fail("free wal senders", (senders - used) + " of " + senders + " (pg_basebackup -X stream needs 2)",
                "raise max_wal_senders and restart " + primary.getName()));

        List<Map<String, Object>> existing = primary.sql("select active from pg_replication_slots where slot_name = ?", slot);
        boolean exists = !existing.isEmpty();
        int maxSlots = Integer.parseInt(s.get("max_replication_slots"));
        long slotsUsed = ((Number) primary.value("select count(*) from pg_replication_slots")).longValue();
        if (exists && Boolean.TRUE.equals(existing.get(0).get("active"))) {
            report.add(Check.fail("replication slot", "'" + slot + "' exists and is in use by another standby", "choose another slot: name"));
        } else if (exists) {
            report.add(Check.warn("replication slot", "'" + slot + "' exists (inactive): reusing it", null));
        } else {
            report.add(maxSlots - slotsUsed >= 1 ? Check.ok("free replication slots", (maxSlots - slotsUsed) + " of " + maxSlots)
                    : Check.fail("free replication slots", "0 of " + maxSlots, "raise max_replication_slots, or drop an unused slot"));
        }

        Object rights = primary.value("select rolreplication or rolsuper from pg_roles where rolname = current_user");
        String user = primary.getConnInfo().user();
        report.add(Boolean.TRUE.equals(rights) ? Check.ok("replication role", user + " may replicate")
                : Check.fail("replication role", user + " has neither REPLICATION nor SUPERUSER", "ALTER ROLE " + user + " REPLICATION"));

        // pg_hba, tried for real: a replication connection from the target's host.
        String conninfo = "host=" + host + " port=" + port + " user=" + user + " dbname=replication replication=true connect_timeout=10";
        ExecResult probe = target.quietTool("psql", List.of("-X", "-A", "-t", "-w", "-d", conninfo, "-c", "IDENTIFY_SYSTEM"), env, Duration.ofSeconds(30));
        report.add(probe.ok() ? Check.ok("pg_hba replication", "a replication connection from " + target.getHost().name() + " to " + host + ":" + port + " works")
                : Check.fail("pg_hba replication", "a replication connection from " + target.getHost().name() + " failed: " + lastLine(probe.stderr()),
                "allow it in " + primary.getName() + "'s pg_hba.conf (host replication " + user + " <target address>/32 scram-sha-256) and reload"));

        String pgdata = target.getPgdata();
        ExecResult dir = target.quietShell("if [ -e " + ShellQuote.quote(pgdata) + " ]; then ls -A " + ShellQuote.quote(pgdata) + " | wc -l; else echo absent; fi",
                Duration.ofSeconds(30));
        String d = dir.stdout().strip();
        report.add(d.equals("absent") || d.equals("0") ? Check.ok("target data directory", pgdata + (d.equals("absent") ? " (absent)" : " (empty)"))
                : Check.fail("target data directory", pgdata + " holds " + d + " entries", "move it away, or choose another pgdata:"));

        long size = ((Number) primary.value("select sum(pg_database_size(oid))::bigint from pg_database")).longValue();
        long margin = call.has("margin") ? Long.parseLong(call.string("margin", "0")) : size / 10 + 256L * 1024 * 1024;
        ExecResult df = target.quietShell("d=" + ShellQuote.quote(pgdata) + "; while [ ! -e \"$d\" ]; do d=$(dirname \"$d\"); done; df -PB1 \"$d\" | awk 'NR==2 {print $4}'",
                Duration.ofSeconds(30));
        try {
            long free = Long.parseLong(df.stdout().strip());
            report.add(free >= size + margin ? Check.ok("free disk on target", free + " bytes free, need " + (size + margin) + " (databases " + size + " + margin " + margin + ")")
                    : Check.fail("free disk on target", free + " bytes free, need " + (size + margin) + " (databases " + size + " + margin " + margin + ")",
                    "free space under " + pgdata + " or choose another pgdata:"));
        } catch (NumberFormatException e) {
            report.add(Check.warn("free disk on target", "could not read free space: " + lastLine(df.stderr()), null));
        }
        report.refuseIfFailed("replicate");
        return exists;
    }

    /** The port from the target's url, written where the copied configuration cannot override it. */
    /** pg_basebackup -R writes its own libpq's options; an older standby must get only those it knows. */
    private static void trimConninfo(CommandContext ctx, Server primary, Server target, String pgdata) throws Exception {
        dev.cutover.pg.PgVersion v = primary.pgVersion();
        String file = pgdata + "/" + (v.signalFiles() ? "postgresql.auto.conf" : "recovery.conf");
        if (!target.getHost().exists(file)) return;
        String text = new String(target.getHost().readFile(file), java.nio.charset.StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^primary_conninfo = '((?:[^']|'')*)'$").matcher(text);
        if (!m.find()) return;
        String conninfo = m.group(1).replace("''", "'");
        String trimmed = dev.cutover.pg.PrimaryConninfo.forVersion(conninfo, v);
        if (trimmed.equals(conninfo)) return;
        String updated = text.substring(0, m.start()) + "primary_conninfo = '" + trimmed.replace("'", "''") + "'" + text.substring(m.end());
        ctx.mutate("primary_conninfo in " + file + ": only options PostgreSQL " + v.majorText() + " knows", () -> {
            target.getHost().writeFileAtomic(file, updated.getBytes(java.nio.charset.StandardCharsets.UTF_8), FileAttributes.KEEP);
            return null;
        });
    }

    private static void setPort(CommandContext ctx, Server target, String pgdata) throws Exception {
        String auto = pgdata + "/postgresql.auto.conf";
        String current = target.getHost().exists(auto) ? new String(target.getHost().readFile(auto)) : "";
        String updated = current + (current.endsWith("\n") || current.isEmpty() ? "" : "\n")
                + "# set by cutover replicate: this server's own port\nport = " + target.getPort() + "\n";
        ctx.mutate("set port = " + target.getPort() + " in " + auto, () -> {
            target.getHost().writeFileAtomic(auto, updated.getBytes(), FileAttributes.KEEP);
            return null;
        });
    }

    private static ReplicationStatus waitForStreaming(CommandContext ctx, Server primary, Server target, String slot, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReplicationStatus s;
        while (true) {
            s = ReplicationProbe.status(primary, target, slot);
            if (s.streaming()) return s;
            if (System.nanoTime() > deadline) {
                throw new CommandException("replicate: " + target.getName() + " started but is not streaming after "
                        + Durations.format(timeout) + " (state " + s.state() + "); see its log in " + target.getPgdata());
            }
            ctx.cancellation().check();
            Thread.sleep(200);
        }
    }

    /** After a failed or cancelled copy: the half-made directory goes (it was absent or empty before), and a slot we created. */
    private static void cleanUp(CommandContext ctx, Server primary, Server target, String pgdata, String slot, boolean createdSlot) {
        try {
            target.getHost().exec(ExecRequest.of(List.of("rm", "-rf", "--", pgdata), Duration.ofMinutes(5), null, null, null));
            ctx.warn("removed the half-made " + pgdata);
        } catch (Exception e) {
            ctx.warn("could not remove " + pgdata + ": " + e.getMessage());
        }
        if (createdSlot) {
            try {
                Thread.interrupted(); // the cleanup must run even though the step was cancelled
                primary.sql("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ? and not active", slot);
                ctx.warn("dropped replication slot " + slot + " on " + primary.getName());
            } catch (RuntimeException e) {
                ctx.warn("could not drop slot " + slot + " on " + primary.getName() + ": " + e.getMessage());
            }
        }
    }

    static String lastLine(String text) {
        String t = text == null ? "" : text.strip();
        String[] lines = t.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
