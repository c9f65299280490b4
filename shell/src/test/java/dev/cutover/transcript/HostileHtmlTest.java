package dev.cutover.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.Builtins;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.Prompter;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookParser;

/**
 * The HTML page of a transcript is inert whatever the runbook, its params, its output, the notes
 * and the recorded events say: no script, no event handler, no script-capable URL.
 */
class HostileHtmlTest {
    @TempDir
    Path dir;

    /** Links, raw HTML and obfuscated schemes, one per line, as a note or a value may carry them. */
    static final String HOSTILE = String.join("\n",
            "[a](javascript:alert(1))",
            "[b](JaVaScRiPt:alert(1))",
            "[c]( \tjavascript:alert(1) \"t\")",
            "[d](java&#x09;script:alert(1))",
            "[e](&#106;avascript:alert(1))",
            "[f](javascript&colon;alert(1))",
            "[g](<java\u0000script:alert(1)>)",
            "<javascript:alert(1)>",
            "<JAVASCRIPT:alert(1)>",
            "<vbscript:msgbox(1)>",
            "[h][evil] and [i][Evil2]",
            "",
            "[evil]: javascript:alert(1)",
            "[evil2]: <data:text/html,<script>alert(1)</script>>",
            "",
            "![j](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
            "![k](javascript:alert(1))",
            "[l](vbscript:msgbox(1))",
            "[m](VBSCRIPT:msgbox(1))",
            "[n](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"javascript:alert(1)\">o</a> <img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "",
            "<object data=\"data:text/html,x\"></object>",
            "",
            "<svg onload=alert(1)><div onmouseover=\"alert(1)\">p</div>",
            "",
            "<!-- cutover:step-start {\"n\":9,\"title\":\"<img src=x onerror=alert(1)>\",\"at\":\"2026-01-01T00:00:00Z\"} -->",
            "",
            "[fine](https://example.org/docs) [mail](mailto:dba@example.org) [here](#step-1)");

    @Test
    void aHostileTranscriptRendersToInertHtml() throws Exception {
        String md = """
                ---
                title: "<script>alert(1)</script> [t](javascript:alert(1)) <img src=x onerror=alert(1)>"
                params:
                  p: {default: "[p](javascript:alert(1)) <svg onload=alert(1)>"}
                ---

                # Hostile

                ## [x](javascript:alert(1)) \\[y\\](javascript:alert(1)) <img src=x onerror=alert(1)>

                ```groovy
                println new File('%s').text
                note new File('%s').text
                ```
                """.formatted(hostileFile(), hostileFile());
        Runbook rb = new RunbookParser().parse(Path.of("r.md"), "r.md", md.getBytes(StandardCharsets.UTF_8));
        Notebook nb = new Notebook(Builtins.registry(), Prompter.batch(false));
        nb.setParams(Map.of("p", "<a href=javascript:alert(1)>v</a> [v](javascript:alert(1))"), Set.of());
        nb.open(rb);
        Path t = dir.resolve("t.md");
        Instant now = Instant.now();
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md", rb.title(), rb.sha256(),
                Map.of("p", "[v](javascript:alert(1))\n" + HOSTILE, "q", "`x` [w](javascript:alert(1))"), "op", "lab", now, "test", "batch", false))) {
            nb.addListener(w);
            nb.runStep(rb.steps().get(0));
            nb.note(HOSTILE);
            w.event("snapshot", Map.of("tables", List.of(Map.of("name", "[t](javascript:alert(1))", "rows", 1),
                    Map.of("name", "<img src=x onerror=alert(1)>\n" + HOSTILE, "rows", 2))), now);
            w.sessionEnded("ok", Map.of(), now, Duration.ofSeconds(1));
        }
        // an operator (or anyone with the file) adds hostile Markdown by hand
        Files.writeString(t, Files.readString(t) + "\n" + HOSTILE + "\n", StandardCharsets.UTF_8);

        Path html = dir.resolve("t.html");
        new HtmlRenderer().render(t, html);
        String page = Files.readString(html, StandardCharsets.UTF_8);

        List<String> problems = problems(page);
        assertEquals(List.of(), problems, "unsafe HTML in the rendered page");
        assertFalse(page.toLowerCase(Locale.ROOT).contains("<script"), "no script element");
        // the hostile text is shown, not dropped, and the harmless links still work
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML is shown as text");
        assertTrue(page.contains("href=\"https://example.org/docs\""), "http(s) links survive");
        assertTrue(page.contains("href=\"mailto:dba@example.org\""), "mailto links survive");
        assertTrue(page.contains("href=\"#step-1\""), "fragment links survive");
        assertTrue(page.contains("<svg class=\"timeline\""), "the timeline is still drawn");
    }

    private String hostileFile() throws Exception {
        Path p = dir.resolve("hostile.txt");
        Files.writeString(p, HOSTILE, StandardCharsets.UTF_8);
        return p.toString().replace("\\", "/");
    }

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s\"'=<>/]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+))?");
    private static final Set<String> FORBIDDEN_TAGS = Set.of("script", "iframe", "object", "embed", "frame", "frameset", "base",
            "form", "link", "applet", "foreignobject", "animate", "set", "use");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "xlink:href", "action", "formaction", "data", "srcset",
            "poster", "background");

    /** Every element and attribute of the page that could run code or load something script-capable. */
    static List<String> problems(String page) {
        List<String> found = new ArrayList<>();
        Matcher tag = TAG.matcher(page);
        while (tag.find()) {
            String name = tag.group(1).toLowerCase(Locale.ROOT);
            if (FORBIDDEN_TAGS.contains(name)) found.add("element " + tag.group());
            Matcher attr = ATTRIBUTE.matcher(tag.group(2));
            while (attr.find()) {
                String a = attr.group(1).toLowerCase(Locale.ROOT);
                String value = attr.group(2) == null ? "" : unquote(attr.group(2));
                if (a.startsWith("on")) found.add("handler " + tag.group());
                if (a.equals("style") && value.toLowerCase(Locale.ROOT).contains("url(")) found.add("style url " + tag.group());
                if (URL_ATTRIBUTES.contains(a)) {
                    String url = decodeEntities(value).replaceAll("[\\x00-\\x20\\x7f]", "").toLowerCase(Locale.ROOT);
                    if (url.startsWith("javascript:") || url.startsWith("data:") || url.startsWith("vbscript:")) {
                        found.add("url " + tag.group());
                    }
                }
            }
        }
        return found;
    }

    private static String unquote(String v) {
        return (v.startsWith("\"") || v.startsWith("'")) ? v.substring(1, v.length() - 1) : v;
    }

    /** Enough of HTML's character references to see through an obfuscated scheme. */
    private static String decodeEntities(String s) {
        Matcher m = Pattern.compile("&#[xX]([0-9a-fA-F]+);?|&#([0-9]+);?|&([a-zA-Z]+);").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String r;
            if (m.group(1) != null) r = new String(Character.toChars(Integer.parseInt(m.group(1), 16)));
            else if (m.group(2) != null) r = new String(Character.toChars(Integer.parseInt(m.group(2))));
            else r = switch (m.group(3).toLowerCase(Locale.ROOT)) {
                case "colon" -> ":";
                case "tab" -> "\t";
                case "newline" -> "\n";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "lt" -> "<";
                case "gt" -> ">";
                default -> m.group();
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
