package dev.cutover.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunbookParserTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = RunbookParserTest.class.getResourceAsStream("/runbooks/" + name)) {
            return in.readAllBytes();
        }
    }

    static Runbook parse(String name) throws IOException {
        return new RunbookParser().parse(Path.of(name), name, resource(name));
    }

    /** number|id|kind|target|title|flags|first code line — one line per step. */
    static String listing(Runbook rb) {
        return rb.steps().stream().map(s -> s.number() + "|" + s.id() + "|" + s.kind() + "|" + s.target() + "|" + s.title()
                + "|" + s.flags().describe() + "|" + s.codeStart().line()).collect(Collectors.joining("\n"));
    }

    static final String GOLDEN_STEPS = String.join("\n",
            "1|step-1|GROOVY|null|Step 1||14",
            "2|connect|GROOVY|null|Connect|always|24",
            "3|version|SQL|old|Check the version||30",
            "4|promote-the-replica|GROOVY|null|Promote the replica|confirm timeout=5m retry=2|44",
            "5|promote-the-replica-2|GROOVY|null|Promote the replica|continue-on-error|48",
            "6|überprüfung-der-daten|GROOVY|null|Überprüfung der Daten ✓|manual|56",
            "7|fix|GROOVY|null|fix-history on the new primary|timeout=1m30s|62");

    @Test
    void goldenRunbookGivesTheExpectedSteps() throws IOException {
        Runbook rb = parse("golden.md");
        assertEquals(GOLDEN_STEPS, listing(rb));
        assertEquals("Golden runbook", rb.title());
        assertEquals("old = 'connected'", rb.steps().get(1).code());
        assertEquals("select version();", rb.steps().get(2).code());
        assertEquals(Duration.ofMinutes(5), rb.steps().get(3).flags().timeout());
        assertEquals(2, rb.steps().get(3).flags().retry());
    }

    @Test
    void frontMatterParamsCarryDefaultsSecretsAndDescriptions() throws IOException {
        Runbook rb = parse("golden.md");
        assertEquals(List.of("old_url", "password", "scale"), rb.params().stream().map(ParamSpec::name).toList());
        ParamSpec url = rb.param("old_url").orElseThrow();
        assertEquals("postgresql://postgres@127.0.0.1:5413/postgres", url.defaultValue());
        assertFalse(url.secret());
        ParamSpec pw = rb.param("password").orElseThrow();
        assertTrue(pw.secret());
        assertTrue(pw.required());
        assertEquals("the replication password", pw.description());
        assertEquals("10", rb.param("scale").orElseThrow().defaultValue());
    }

    @Test
    void crlfRunbookParsesToTheSameStepsAndLines() throws IOException {
        String lf = new String(resource("golden.md"), StandardCharsets.UTF_8);
        byte[] crlf = lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        Runbook rb = new RunbookParser().parse(Path.of("golden.md"), "golden.md", crlf);
        assertEquals(GOLDEN_STEPS, listing(rb));
        assertFalse(rb.steps().get(3).code().contains("\r"));
    }

    @Test
    void findsStepsByNumberAndId() throws IOException {
        Runbook rb = parse("golden.md");
        assertEquals("version", rb.find("3").orElseThrow().id());
        assertEquals(7, rb.find("fix").orElseThrow().number());
        assertTrue(rb.find("99").isEmpty());
    }

    @Test
    void runbookWithoutFrontMatterOrStepsIsFine() {
        Runbook rb = new RunbookParser().parse(Path.of("empty.md"), "empty.md", "just prose\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(rb.steps().isEmpty());
        assertEquals("empty", rb.title());
    }

    private static String error(String name) {
        RunbookException e = assertThrows(RunbookException.class, () -> parse(name));
        return e.oneLine();
    }

    @Test
    void unclosedFencePointsAtItsOpeningLine() {
        assertEquals("unclosed.md:11: unclosed ``` fence: add a closing ``` line after the block", error("unclosed.md"));
    }

    @Test
    void duplicateIdPointsAtTheSecondUse() {
        assertEquals("duplicate-id.md:7: duplicate step id 'same' (first used at duplicate-id.md:3)", error("duplicate-id.md"));
    }

    @Test
    void malformedFrontMatterPointsAtTheYamlLine() {
        String e = error("bad-front-matter.md");
        assertTrue(e.startsWith("bad-front-matter.md:5: malformed front matter: "), e);
    }

    @Test
    void unclosedFrontMatterPointsAtLineOne() {
        assertEquals("unclosed-front-matter.md:1: malformed front matter: opened with --- but never closed with a --- line",
                error("unclosed-front-matter.md"));
    }

    @Test
    void misspeltFlagIsAnErrorNotSilentlyIgnored() {
        assertTrue(error("unknown-flag.md").startsWith("unknown-flag.md:7: unknown flag 'confrim' in the info string"));
    }

    @Test
    void sqlBlockNeedsItsServerVariable() {
        RunbookException e = assertThrows(RunbookException.class, () -> new RunbookParser().parse(Path.of("x.md"), "x.md",
                "# X\n\n```sql\nselect 1;\n```\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("x.md:3: a sql block names the server variable it runs on: ```sql old", e.oneLine());
    }

    /** commonmark recurses per level: deep nesting is a one-line refusal naming the file, not a StackOverflowError. */
    @Test
    void markdownNestedTooDeeplyIsARunbookError() {
        for (String deep : List.of(">".repeat(100_000), "- ".repeat(50_000) + "x", "*".repeat(50_000) + "x" + "*".repeat(50_000))) {
            RunbookException e = assertThrows(RunbookException.class, () -> new RunbookParser().parse(Path.of("deep.md"), "deep.md",
                    ("# Deep\n\n```groovy\n1\n```\n\n" + deep + "\n").getBytes(StandardCharsets.UTF_8)));
            assertEquals("deep.md: nested too deeply for the Markdown parser (block quotes or lists)", e.oneLine());
        }
    }

    @Test
    void detailedErrorShowsTheLineAndACaret() {
        RunbookException e = assertThrows(RunbookException.class, () -> parse("duplicate-id.md"));
        assertEquals("duplicate-id.md:7: duplicate step id 'same' (first used at duplicate-id.md:3)\n    ```groovy id=same\n    ^",
                e.detailed());
    }

    @Test
    void slugsKeepLettersOfAnyScript() {
        assertEquals("überprüfung-der-daten", Slugs.of("Überprüfung der Daten ✓"));
        assertEquals("step-42", Slugs.of("42"));
        assertEquals("flip-the-alias-pg-15", Slugs.of("Flip the alias → PG 15!"));
    }
}
