package dev.cutover.freeze;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.host.HostNames;

/**
 * Stops the applications themselves: a command per app host ({@code run: ['root@app1': 'systemctl stop app']}),
 * undone by the matching {@code undo:} command. A failure part-way undoes the hosts already stopped.
 */
public final class RunFreeze extends Freeze {
    private final Map<String, String> undo;

    private RunFreeze(String id, Instant started, List<String> changes, Map<String, String> undo) {
        super(id, started, changes);
        this.undo = undo;
    }

    @Override
    public String kind() {
        return "run";
    }

    @Override
    public String target() {
        return "apps on " + String.join(", ", undo.keySet());
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("undo", undo);
    }

    @SuppressWarnings("unchecked")
    static RunFreeze restore(Map<String, Object> r) {
        return new RunFreeze(String.valueOf(r.get("id")), Instant.parse(String.valueOf(r.get("started"))), List.of(),
                (Map<String, String>) r.get("undo"));
    }

    public static RunFreeze apply(CommandContext ctx, String id, Map<String, String> run, Map<String, String> undo, Duration budget)
            throws Exception {
        for (String target : run.keySet()) {
            if (!undo.containsKey(target)) {
                throw CommandException.refused("freeze run: no undo: command for " + target + " (freeze run: [host: 'stop'], undo: [host: 'start'])");
            }
        }
        List<String> changes = new ArrayList<>();
        Map<String, String> done = new LinkedHashMap<>();
        Instant started = Instant.now();
        for (Map.Entry<String, String> e : run.entrySet()) {
            ExecResult r;
            try {
                r = exec(ctx, e.getKey(), e.getValue(), budget);
            } catch (Exception failed) {
                // Unreachable host, cancelled step: the hosts already stopped must not stay stopped out of unfreeze()'s sight.
                boolean interrupted = Thread.interrupted();
                try {
                    undoAll(ctx, done, budget);
                } finally {
                    if (interrupted) Thread.currentThread().interrupt();
                }
                throw new CommandException("freeze run: on " + e.getKey() + " '" + e.getValue() + "' could not run: " + failed.getMessage()
                        + (done.isEmpty() ? "" : "; hosts already stopped were started again") + "; whether it ran on " + e.getKey()
                        + " is unknown: check there (undo: " + undo.get(e.getKey()) + ")", failed);
            }
            if (r != null && !r.ok()) {
                undoAll(ctx, done, budget);
                throw new CommandException("freeze run: on " + e.getKey() + " '" + e.getValue() + "' exited " + r.exitCode()
                        + (r.timedOut() ? " (timed out)" : "") + ": " + r.stderr().strip() + "; hosts already stopped were started again");
            }
            done.put(e.getKey(), undo.get(e.getKey()));
            changes.add(e.getKey() + "$ " + e.getValue());
        }
        return new RunFreeze(id, started, changes, Map.copyOf(undo.entrySet().stream().filter(x -> run.containsKey(x.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    private static ExecResult exec(CommandContext ctx, String target, String command, Duration timeout) throws Exception {
        Host host = HostNames.resolve(ctx, target);
        ExecRequest req = ExecRequest.shell(command, timeout, ctx::out, l -> ctx.out(OutputKind.ERR, l), ctx.cancellation());
        return ctx.mutate(target + "$ " + command, () -> host.exec(req));
    }

    private static void undoAll(CommandContext ctx, Map<String, String> commands, Duration timeout) {
        for (Map.Entry<String, String> e : commands.entrySet()) {
            try {
                exec(ctx, e.getKey(), e.getValue(), timeout);
            } catch (Exception ex) {
                ctx.warn("could not undo on " + e.getKey() + ": " + ex.getMessage());
            }
        }
    }

    @Override
    protected void undo(CommandContext ctx) throws Exception {
        // Restored from a transcript, a command that held a secret reads masked: running "******" would undo nothing.
        for (Map.Entry<String, String> e : undo.entrySet()) {
            if (e.getValue().contains("******")) {
                throw CommandException.refused("unfreeze: the undo command for " + e.getKey() + " held a secret, and the transcript"
                        + " recorded it masked: run it by hand on " + e.getKey() + ": " + e.getValue());
            }
        }
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, String> e : undo.entrySet()) {
            ExecResult r = exec(ctx, e.getKey(), e.getValue(), Duration.ofMinutes(2));
            if (r != null && !r.ok()) failed.add(e.getKey() + " (exit " + r.exitCode() + ")");
        }
        if (!failed.isEmpty()) throw new CommandException("unfreeze: the undo command failed on " + String.join(", ", failed));
    }

    @Override
    public String undoByHand() {
        List<String> each = new ArrayList<>();
        undo.forEach((host, command) -> each.add("on " + host + ": " + command));
        return String.join("; ", each);
    }
}
