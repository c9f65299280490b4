package dev.cutover.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTML transcript of a recorded cutover, opened in headless Chromium (Debian's chromium):
 * the page shows the timeline with a bar and a label for every step and the frozen interval.
 * The screenshot is kept as target/screenshots/timeline.png.
 */
@org.junit.jupiter.api.Tag("browser")
class TimelineInBrowserTest {

    @Test
    void aRecordedCutoverRendersAsATimelineInARealBrowser() throws Exception {
        Path transcript = Path.of("src/test/resources/transcripts/streaming-upgrade.md");
        Path out = Files.createDirectories(Path.of("target/screenshots"));
        Path html = out.resolve("timeline.html");
        new HtmlRenderer().render(transcript, html);

        List<String> titles = new ArrayList<>();
        Matcher m = Pattern.compile("<!-- cutover:step-start \\{[^}]*\"title\":\"([^\"]+)\"").matcher(Files.readString(transcript));
        while (m.find()) titles.add(m.group(1));
        assertEquals(17, titles.size(), titles.toString());

        String dom = chromium("--dump-dom", html.toUri().toString());
        assertTrue(dom.contains("<svg class=\"timeline\""), "the timeline is in the rendered page");
        String svg = dom.substring(dom.indexOf("<svg class=\"timeline\""), dom.indexOf("</svg>") + 6);
        for (int i = 0; i < titles.size(); i++) {
            String label = (i + 1) + ". " + titles.get(i);
            String shown = label.length() > 44 ? label.substring(0, 43) : label;
            assertTrue(svg.contains(shown.replace("&", "&amp;")), "timeline label for step " + (i + 1) + ": " + shown);
            assertTrue(dom.contains(titles.get(i)), "step title on the page: " + titles.get(i));
        }
        assertEquals(17, count(svg, "class=\"bar st-ok\""), "one bar per step, all ok");
        assertTrue(svg.contains("class=\"frozen\"") && svg.contains("writes frozen 4.4s"), "the frozen interval is shaded and labelled");

        Path png = out.resolve("timeline.png");
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1100,1400", html.toUri().toString());
        assertTrue(Files.size(png) > 10_000, "a screenshot was taken: " + png.toAbsolutePath());
    }

    private static String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory("chromium")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), "chromium " + String.join(" ", args));
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
