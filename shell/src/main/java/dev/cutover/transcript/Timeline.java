package dev.cutover.transcript;

import dev.cutover.spi.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.cutover.spi.Durations;

/**
 * The cutover as a picture: one bar per step run on a shared time axis, coloured by status, with
 * the intervals when writes were frozen shaded behind them. Inline SVG, no scripts or external
 * assets, so the HTML transcript stays one self-contained file.
 */
final class Timeline {
    private static final int WIDTH = 960;
    private static final int LABEL = 300;
    private static final int ROW = 20;
    private static final int TOP = 28;

    private record Bar(int number, String title, Instant start, Instant end, String status) {
    }

    private record Span(Instant start, Instant end) {
    }

    private Timeline() {
    }

    static String svg(List<TranscriptEvent> events) {
        List<Bar> bars = new ArrayList<>();
        Map<Integer, Integer> open = new HashMap<>();
        Map<String, Instant> freezes = new HashMap<>();
        List<Span> frozen = new ArrayList<>();
        Instant last = null;
        for (TranscriptEvent e : events) {
            Instant at = instant(e);
            if (at != null && (last == null || at.isAfter(last))) last = at;
            Event ev = e.event();
            if (ev instanceof Event.StepStarted s) {
                open.put(s.n(), bars.size());
                bars.add(new Bar(s.n(), s.title(), at, null, "running"));
            } else if (ev instanceof Event.StepEnded s) {
                Integer i = open.remove(s.n());
                if (i != null) {
                    Bar b = bars.get(i);
                    Instant end = b.start() != null ? b.start().plusMillis(s.ms()) : at;
                    bars.set(i, new Bar(b.number(), b.title(), b.start(), end, s.status()));
                }
            } else if (ev instanceof Event.Recorded r && at != null) {
                String id = r.event().string("id");
                if (RecordedEvent.FREEZE.equals(r.event().type())) freezes.put(id, at);
                if (RecordedEvent.UNFREEZE.equals(r.event().type()) && freezes.containsKey(id)) frozen.add(new Span(freezes.remove(id), at));
            }
        }
        bars.removeIf(b -> b.start() == null);
        if (bars.isEmpty()) return "";
        Instant end = last;
        for (Instant f : freezes.values()) frozen.add(new Span(f, end)); // still frozen when the transcript ends
        Instant t0 = bars.get(0).start();
        for (Bar b : bars) if (b.start().isBefore(t0)) t0 = b.start();
        long totalMs = Math.max(1, Duration.between(t0, end).toMillis());
        int plot = WIDTH - LABEL - 20;
        int height = TOP + bars.size() * ROW + 30;
        final Instant origin = t0;
        java.util.function.Function<Instant, Double> x = t -> LABEL + plot * (Duration.between(origin, t).toMillis() / (double) totalMs);

        StringBuilder svg = new StringBuilder();
        svg.append("<figure class=\"timeline\"><figcaption>Timeline: ").append(Durations.format(Duration.ofMillis(totalMs)))
                .append(" from the first step to the last").append(frozen.isEmpty() ? "" : "; shaded: writes frozen").append("</figcaption>\n");
        svg.append(String.format(Locale.ROOT, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline of the steps\">\n",
                WIDTH, height, WIDTH, height));
        for (Span f : frozen) {
            double a = x.apply(f.start());
            double b = x.apply(f.end());
            svg.append(String.format(Locale.ROOT, "<rect class=\"frozen\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>writes frozen %s</title></rect>\n",
                    a, TOP - 6, Math.max(1, b - a), bars.size() * ROW + 8, Durations.format(Duration.between(f.start(), f.end()))));
            svg.append(String.format(Locale.ROOT, "<text class=\"frozen-label\" x=\"%.1f\" y=\"%d\">writes frozen %s</text>\n", a + 2, TOP - 10,
                    Durations.format(Duration.between(f.start(), f.end()))));
        }
        int ticks = 6;
        for (int i = 0; i <= ticks; i++) {
            double px = LABEL + plot * i / (double) ticks;
            svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", px, TOP - 6, px, height - 24));
            svg.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\">%s</text>\n", px, height - 10,
                    Durations.format(Duration.ofMillis(totalMs * i / ticks))));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            Instant stop = b.end() != null ? b.end() : end;
            double a = x.apply(b.start());
            double w = Math.max(2, x.apply(stop) - a);
            int y = TOP + i * ROW;
            String label = b.number() + ". " + b.title();
            if (label.length() > 44) label = label.substring(0, 43) + "…";
            String took = Durations.format(Duration.between(b.start(), stop));
            svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>", LABEL - 8, y + 13, HtmlRenderer.escape(label)));
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar st-%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\"><title>%s: %s, %s</title></rect>",
                    css(b.status()), a, y + 2, w, ROW - 6, HtmlRenderer.escape(b.title()), HtmlRenderer.escape(b.status()), took));
            boolean roomRight = a + w + 56 < WIDTH;
            svg.append(String.format(Locale.ROOT, "<text class=\"took\" x=\"%.1f\" y=\"%d\"%s>%s</text>\n", roomRight ? a + w + 4 : a - 4, y + 13,
                    roomRight ? "" : " text-anchor=\"end\"", took));
        }
        return svg.append("</svg></figure>\n").toString();
    }

    private static String css(String status) {
        return switch (status == null ? "" : status) {
            case "ok", "failed", "skipped", "interrupted", "refused", "running" -> status;
            default -> "unknown";
        };
    }

    private static Instant instant(TranscriptEvent e) {
        Object at = e.data().get("at");
        if (at == null) return null;
        try {
            return Instant.parse(String.valueOf(at));
        } catch (RuntimeException ex) {
            return null;
        }
    }

    static final String CSS = """
            figure.timeline { margin: 1em 0; overflow-x: auto; }
            figure.timeline figcaption { font-weight: 600; margin-bottom: .3em; }
            svg.timeline { font: 12px system-ui, sans-serif; background: #fff; }
            svg.timeline .label { text-anchor: end; fill: #24292f; }
            svg.timeline .took, svg.timeline .axis { fill: #57606a; font-size: 11px; }
            svg.timeline .axis { text-anchor: middle; }
            svg.timeline .tick { stroke: #eaeef2; }
            svg.timeline .frozen { fill: #ddf4ff; stroke: #54aeff; stroke-dasharray: 3 2; }
            svg.timeline .frozen-label { fill: #0969da; font-size: 11px; }
            svg.timeline .bar.st-ok { fill: #2da44e; }
            svg.timeline .bar.st-failed { fill: #cf222e; }
            svg.timeline .bar.st-refused { fill: #8250df; }
            svg.timeline .bar.st-interrupted { fill: #bc4c00; }
            svg.timeline .bar.st-skipped { fill: #8c959f; }
            svg.timeline .bar.st-running, svg.timeline .bar.st-unknown { fill: #d4a72c; }
            """;
}
