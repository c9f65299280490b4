package dev.cutover.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Document;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;
import dev.cutover.spi.Durations;

/**
 * Renders a transcript to one self-contained HTML page (inline CSS, no external assets). The
 * Markdown is the source of truth: operators may edit it (add notes after the fact) and render
 * again. Status lines and notes are styled by what they say, so edits keep their colours.
 *
 * <p>The page is inert whatever the transcript says: raw HTML is shown as text, every link and
 * image URL goes through {@link SafeUrls}, and everything written here by hand (title, summary,
 * timeline) is escaped.
 */
public final class HtmlRenderer {
    /** In the first lines of every page we render, so we can tell our own output from a file we must not overwrite. */
    public static final String MARKER = "<!-- rendered by cutover -->";
    private static final Set<String> STATUSES = Set.of("ok", "failed", "skipped", "interrupted", "refused", "unknown", "running", "pending");

    /**
     * @throws TranscriptFormatException the file is not a cutover transcript, or a damaged one
     */
    public void render(Path transcript, Path html) throws IOException {
        // whatever the caller checked: overwriting the record of the window is never what anyone wants
        if (Files.exists(html) && Files.isSameFile(transcript, html)) {
            throw new IOException(html + " is the transcript itself; render to another file");
        }
        String markdown = TranscriptText.read(transcript);
        TranscriptRecord record = TranscriptRecord.parse(transcript, markdown);
        String page;
        try {
            page = render(markdown, record.events());
        } catch (StackOverflowError e) {
            // commonmark parses and renders nested blocks by recursion; nothing is held, so the error is safe to catch
            throw new TranscriptFormatException(transcript + ": " + dev.cutover.runbook.RunbookParser.TOO_DEEP);
        }
        Files.writeString(html, page, StandardCharsets.UTF_8);
    }

    /** The page, from the Markdown and the events {@link TranscriptRecord} found in it. */
    String render(String markdown, List<TranscriptEvent> events) {
        Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
        org.commonmark.renderer.html.HtmlRenderer renderer = org.commonmark.renderer.html.HtmlRenderer.builder()
                .extensions(List.of(TablesExtension.create()))
                .escapeHtml(true)
                .sanitizeUrls(true)
                .urlSanitizer(new SafeUrls())
                .attributeProviderFactory(ctx -> new StatusAttributes())
                .nodeRendererFactory(RawHtmlAsText::new)
                .build();
        String body = renderer.render(parser.parse(markdown));
        String title = events.stream().filter(e -> e.type().equals("session")).findFirst()
                .map(e -> "Transcript: " + e.string("title")).orElse("cutover transcript");

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n").append(MARKER).append("\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(CSS).append(Timeline.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        html.append(summary(events));
        html.append(Timeline.svg(events));
        html.append(body);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /** The step table at the top: every step's last status and duration, from the recorded events. */
    private static String summary(List<TranscriptEvent> events) {
        Map<Integer, String[]> steps = new LinkedHashMap<>();
        for (TranscriptEvent e : events) {
            if (e.event() instanceof Event.StepStarted st) {
                steps.put(st.n(), new String[] {st.title(), "running", ""});
            } else if (e.event() instanceof Event.StepEnded end) {
                String[] s = steps.computeIfAbsent(end.n(), k -> new String[] {end.id(), "", ""});
                s[1] = end.status();
                s[2] = Durations.format(java.time.Duration.ofMillis(end.ms()));
            }
        }
        if (steps.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("<nav class=\"summary\"><h2>Steps</h2><table>\n<thead><tr><th>#</th><th>Step</th><th>Status</th><th>Time</th></tr></thead>\n<tbody>\n");
        steps.forEach((n, s) -> {
            String status = STATUSES.contains(s[1]) ? s[1] : "unknown";
            sb.append("<tr><td>").append(n).append("</td><td>").append(escape(s[0])).append("</td><td><span class=\"badge st-")
                    .append(status).append("\">").append(escape(s[1])).append("</span></td><td>").append(escape(s[2])).append("</td></tr>\n");
        });
        return sb.append("</tbody></table></nav>\n").toString();
    }

    static String escape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /**
     * "**Status: ok** · 1.2s" paragraphs get a status class; "**Note**" quotes a note class. Only
     * top-level paragraphs are status lines: a note saying "**Status: ok**" is not painted green.
     */
    private static final class StatusAttributes implements AttributeProvider {
        @Override
        public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
            if (node instanceof Paragraph p && p.getParent() instanceof Document && p.getFirstChild() instanceof StrongEmphasis strong
                    && strong.getFirstChild() instanceof Text t && t.getLiteral().startsWith("Status: ")) {
                String word = t.getLiteral().substring("Status: ".length()).strip();
                attributes.put("class", "status st-" + (STATUSES.contains(word) ? word : "unknown"));
            } else if (node instanceof BlockQuote q && q.getFirstChild() instanceof Paragraph p2
                    && p2.getFirstChild() instanceof StrongEmphasis s2 && s2.getFirstChild() instanceof Text t2
                    && t2.getLiteral().equals("Note")) {
                attributes.put("class", "note");
            }
        }
    }

    /**
     * Event lines vanish (only those the reader counts: a whole top-level block that decodes as an
     * event); any other raw HTML is shown as text, so a transcript cannot inject markup.
     */
    private static final class RawHtmlAsText implements NodeRenderer {
        private final HtmlWriter html;

        RawHtmlAsText(HtmlNodeRendererContext context) {
            this.html = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(HtmlBlock.class, HtmlInline.class);
        }

        @Override
        public void render(Node node) {
            String literal = node instanceof HtmlBlock b ? b.getLiteral() : ((HtmlInline) node).getLiteral();
            if (node instanceof HtmlBlock && node.getParent() instanceof Document && isEvent(literal)) return;
            if (node instanceof HtmlBlock) {
                html.line();
                html.tag("pre");
                html.text(literal);
                html.tag("/pre");
                html.line();
            } else {
                html.text(literal);
            }
        }
    }

    private static boolean isEvent(String literal) {
        String line = literal.stripTrailing();
        if (line.contains("\n") || line.contains("\r")) return false;
        try {
            return EventCodec.decode(line, 0).isPresent();
        } catch (EventCodec.MalformedEventException e) {
            return false;
        }
    }

    private static final String CSS = """
            :root { --ok:#1a7f37; --failed:#cf222e; --refused:#bc4c00; --interrupted:#8250df; --skipped:#6e7781; --unknown:#9a6700; }
            body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color:#1f2328; background:#fff; margin:0; }
            main { max-width: 980px; margin: 0 auto; padding: 24px; }
            h1 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
            h2 { margin-top: 2em; border-bottom: 1px solid #d8dee4; padding-bottom: .2em; }
            pre { background:#f6f8fa; padding: 10px 12px; overflow-x:auto; border-radius:6px; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; }
            code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 90%; }
            table { border-collapse: collapse; margin: 8px 0; }
            th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align:left; vertical-align: top; }
            .status { display:inline-block; padding: 2px 10px; border-radius: 12px; color:#fff; margin: 4px 0; }
            .status strong { color:#fff; }
            .st-ok { background: var(--ok); } .st-failed { background: var(--failed); } .st-refused { background: var(--refused); }
            .st-interrupted { background: var(--interrupted); } .st-skipped, .st-pending { background: var(--skipped); }
            .st-unknown, .st-running { background: var(--unknown); }
            .badge { display:inline-block; padding: 0 8px; border-radius: 10px; color:#fff; font-size: 90%; }
            .note { border-left: 4px solid #0969da; background:#ddf4ff; margin: 12px 0; padding: 4px 12px; }
            nav.summary { background:#f6f8fa; border:1px solid #d0d7de; border-radius:6px; padding: 4px 16px 12px; }
            nav.summary h2 { margin-top: .5em; border: 0; }
            """;
}
