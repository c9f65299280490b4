package dev.cutover.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pre-flight checks, printed one line each as they are made, and returned as a table. */
public final class CheckReport implements CommandResult {
    private final String subject;
    private final List<Check> checks = new ArrayList<>();
    private final CommandContext ctx;
    private final long started = System.nanoTime();

    public CheckReport(String subject, CommandContext ctx) {
        this.subject = subject;
        this.ctx = ctx;
    }

    public Check add(Check c) {
        checks.add(c);
        ctx.out(c.status() == Check.Status.OK ? OutputKind.INFO : c.status() == Check.Status.WARN ? OutputKind.WARN : OutputKind.ERR, c.line());
        return c;
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> c.status() == Check.Status.FAIL).toList();
    }

    public long count(Check.Status s) {
        return checks.stream().filter(c -> c.status() == s).count();
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    /** Refuses with every failed check when any failed. */
    public void refuseIfFailed(String what) {
        refuseIfFailed(what, List.of());
    }

    /**
     * Refuses with every failed check when any failed, saying what the checks left behind ({@code left})
     * instead of claiming that nothing was changed.
     */
    public void refuseIfFailed(String what, List<String> left) {
        if (passed()) return;
        StringBuilder sb = new StringBuilder(what + " refused: " + failures().size() + " pre-flight check(s) failed, "
                + (left.isEmpty() ? "nothing was changed" : "the old cluster was not changed; left on disk: " + String.join("; ", left)));
        for (Check c : failures()) sb.append("; ").append(c.name()).append(": ").append(c.detail()).append(c.fix() == null ? "" : " (fix: " + c.fix() + ")");
        throw CommandException.refused(sb.toString());
    }

    @Override
    public String summary() {
        return subject + ": " + count(Check.Status.OK) + " checks ok, " + count(Check.Status.WARN) + " warnings, "
                + count(Check.Status.FAIL) + " failed";
    }

    @Override
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("check", c.name());
            r.put("status", c.status().name().toLowerCase());
            r.put("detail", c.detail());
            r.put("fix", c.fix() == null ? "" : c.fix());
            rows.add(r);
        }
        return rows;
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
