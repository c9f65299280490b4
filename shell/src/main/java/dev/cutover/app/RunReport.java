package dev.cutover.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.Step;
import dev.cutover.transcript.Event;
import dev.cutover.transcript.TranscriptEvent;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.transcript.TranscriptRecord;

/**
 * What {@code cutover run --report} records, gathered as the run goes (it listens to the notebook
 * like the transcript does): every step's status and timing, every freeze with the stall measured
 * from its start to its unfreeze, and the summary. {@link #snapshot} turns it into the JSON tree
 * documented in docs/report.md; it can be taken at any moment, so a run that dies still leaves one.
 */
final class RunReport implements NotebookListener {
    /** The schema's version; its presence is also what marks a file as a cutover report. */
    static final int FORMAT = 1;

    private final Runbook runbook;
    private final Map<String, String> maskedParams;
    private final String mode;
    private final boolean dryRun;
    private final String transcript;
    private final Instant started;
    private final UnaryOperator<String> redact;
    private final Map<Integer, StepEntry> steps = new LinkedHashMap<>();
    private final Map<String, FreezeEntry> freezes = new LinkedHashMap<>();
    private Integer running;

    RunReport(Runbook runbook, Map<String, String> maskedParams, String mode, boolean dryRun, String transcript,
              Instant started, UnaryOperator<String> redact) {
        this.runbook = runbook;
        this.maskedParams = Map.copyOf(maskedParams);
        this.mode = mode;
        this.dryRun = dryRun;
        this.transcript = transcript;
        this.started = started;
        this.redact = redact;
        for (Step s : runbook.steps()) steps.put(s.number(), new StepEntry(s));
    }

    /** Steps a resumed run takes as done from the earlier transcript, and the freezes it recorded. */
    synchronized void earlierRun(TranscriptRecord previous) {
        Map<Integer, Instant> starts = new LinkedHashMap<>();
        Integer inStep = null;
        for (TranscriptEvent e : previous.events()) {
            Event ev = e.event();
            if (ev instanceof Event.StepStarted st) {
                inStep = st.n();
                starts.put(inStep, st.at());
            } else if (ev instanceof Event.StepEnded end) {
                inStep = null;
                StepEntry s = steps.get(end.n());
                if (s != null && ("ok".equals(end.status()) || "skipped".equals(end.status()))) {
                    s.status = end.status();
                    s.start = starts.get(end.n());
                    s.durationMs = end.ms();
                    s.error = null;
                    s.earlierRun = true;
                }
            } else if (ev instanceof Event.Recorded r) {
                freezeEvent(r.event().type(), r.event().data(), r.event().at(), inStep);
            }
        }
    }

    /** A step batch mode declined to run (marked confirm, no --yes): it never reached the notebook. */
    synchronized void refused(Step step, String reason) {
        StepEntry s = steps.get(step.number());
        s.status = StepStatus.REFUSED.word();
        s.error = reason;
    }

    @Override
    public synchronized void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
        StepEntry s = steps.get(step.number());
        if (s == null) return;
        s.status = "running";
        s.start = at;
        s.durationMs = null;
        s.error = null;
        s.attempts = attempt;
        s.earlierRun = false;
        running = step.number();
    }

    @Override
    public synchronized void stepFinished(Step step, StepResult r) {
        StepEntry s = steps.get(step.number());
        if (s == null) return;
        s.status = r.status().word();
        s.start = r.started();
        s.durationMs = r.duration().toMillis();
        s.error = r.error();
        running = null;
    }

    @Override
    public synchronized void event(String type, Map<String, Object> data, Instant at) {
        freezeEvent(type, data, at, running);
    }

    private void freezeEvent(String type, Map<?, ?> data, Instant at, Integer step) {
        String id = String.valueOf(data.get("id"));
        if (RecordedEvent.FREEZE.equals(type)) {
            FreezeEntry f = new FreezeEntry(id, String.valueOf(data.get("kind")));
            Object startedAt = data.get("started");
            f.start = startedAt == null ? at : instant(String.valueOf(startedAt));
            f.step = step;
            f.details = details(data);
            freezes.put(id, f);
        } else if (RecordedEvent.UNFREEZE.equals(type)) {
            FreezeEntry f = freezes.get(id);
            long frozenMs = data.get("frozenMs") instanceof Number n ? n.longValue() : 0;
            if (f == null) {
                // Frozen before the transcript this run appends to began: only the unfreeze is known.
                f = new FreezeEntry(id, String.valueOf(data.get("kind")));
                f.start = at.minusMillis(frozenMs);
                freezes.put(id, f);
            }
            f.end = at;
            f.frozenMs = frozenMs;
            f.endStep = step;
        }
    }

    /** What was frozen, as the freeze recorded it, with the session's secrets masked. */
    private Map<String, Object> details(Map<?, ?> data) {
        Map<String, Object> d = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!List.of("id", "kind", "started").contains(key)) d.put(key, masked(v));
        });
        return d;
    }

    private Object masked(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(redact.apply(String.valueOf(k)), masked(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(this::masked).toList();
        if (v == null || v instanceof Number || v instanceof Boolean) return v;
        return redact.apply(String.valueOf(v));
    }

    /**
     * The report as it stands.
     *
     * @param outcome  "running" while the run goes on; then ok, failed, refused, interrupted, terminated or error
     * @param exitCode null while running
     * @param reason   one line on why the run stopped short, or null
     */
    synchronized Map<String, Object> snapshot(String outcome, Integer exitCode, String reason, Instant now) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cutoverReport", FORMAT);
        r.put("cutoverVersion", Sessions.version());
        r.put("mode", mode);
        r.put("dryRun", dryRun);
        r.put("transcript", transcript);
        Map<String, Object> rb = new LinkedHashMap<>();
        rb.put("path", runbook.displayName());
        rb.put("title", runbook.title());
        rb.put("sha256", runbook.sha256());
        r.put("runbook", rb);
        r.put("params", new LinkedHashMap<>(maskedParams));
        List<Map<String, Object>> stepList = new ArrayList<>();
        for (StepEntry s : steps.values()) stepList.add(s.toMap(now));
        r.put("steps", stepList);
        List<Map<String, Object>> freezeList = new ArrayList<>();
        for (FreezeEntry f : freezes.values()) freezeList.add(f.toMap(now));
        r.put("freezes", freezeList);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("outcome", outcome);
        summary.put("exitCode", exitCode);
        summary.put("reason", reason);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String word : List.of("ok", "failed", "refused", "interrupted", "skipped", "running", "pending")) counts.put(word, 0L);
        for (StepEntry s : steps.values()) counts.merge(s.status, 1L, Long::sum);
        summary.put("counts", counts);
        summary.put("start", started.toString());
        summary.put("end", outcome.equals("running") ? null : now.toString());
        summary.put("durationMs", Duration.between(started, now).toMillis());
        summary.put("frozenMs", frozenMs(now));
        r.put("summary", summary);
        return r;
    }

    /** How long at least one freeze was in force: overlapping freezes (PgBouncer and the apps) count once. */
    private long frozenMs(Instant now) {
        List<Instant[]> spans = freezes.values().stream().filter(f -> f.start != null)
                .map(f -> new Instant[] {f.start, f.start.plusMillis(f.stall(now))})
                .sorted(java.util.Comparator.comparing(span -> span[0])).toList();
        long total = 0;
        Instant from = null;
        Instant to = null;
        for (Instant[] span : spans) {
            if (to != null && !span[0].isAfter(to)) {
                if (span[1].isAfter(to)) to = span[1];
                continue;
            }
            if (to != null) total += Duration.between(from, to).toMillis();
            from = span[0];
            to = span[1];
        }
        if (to != null) total += Duration.between(from, to).toMillis();
        return total;
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null; // a hand-edited transcript: the time is unknown, the rest still counts
        }
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    private static final class StepEntry {
        final Step step;
        String status = StepStatus.PENDING.word();
        Instant start;
        Long durationMs;
        String error;
        int attempts;
        boolean earlierRun;

        StepEntry(Step step) {
            this.step = step;
        }

        Map<String, Object> toMap(Instant now) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", step.number());
            m.put("id", step.id());
            m.put("title", step.title());
            m.put("status", status);
            m.put("start", iso(start));
            Long ms = status.equals("running") && start != null ? Long.valueOf(Duration.between(start, now).toMillis()) : durationMs;
            m.put("durationMs", ms);
            m.put("error", error);
            m.put("attempts", attempts);
            m.put("earlierRun", earlierRun);
            return m;
        }
    }

    private static final class FreezeEntry {
        final String id;
        final String kind;
        Instant start;
        Instant end;
        Long frozenMs;
        Integer step;
        Integer endStep;
        Map<String, Object> details = Map.of();

        FreezeEntry(String id, String kind) {
            this.id = id;
            this.kind = kind;
        }

        /** Measured when unfrozen; until then, how long it has been in force. */
        long stall(Instant now) {
            if (frozenMs != null) return frozenMs;
            return start == null ? 0 : Duration.between(start, now).toMillis();
        }

        Map<String, Object> toMap(Instant now) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("kind", kind);
            m.put("active", end == null);
            m.put("start", iso(start));
            m.put("end", iso(end));
            m.put("frozenMs", stall(now));
            m.put("startStep", step);
            m.put("endStep", endStep);
            m.put("details", details);
            return m;
        }
    }
}
