package dev.cutover.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Front matter values are the text the author wrote, not what YAML 1.1 would make of it. */
class FrontMatterTextTest {

    static Runbook parse(String yaml) {
        String text = "---\n" + yaml + "---\n\n# Body\n\n```groovy\nx = 1\n```\n";
        return new RunbookParser().parse(Path.of("x.md"), "x.md", text.getBytes(StandardCharsets.UTF_8));
    }

    static String error(String yaml) {
        RunbookException e = assertThrows(RunbookException.class, () -> parse(yaml));
        assertFalse(e.oneLine().contains("\n"), "one line: " + e.oneLine());
        return e.oneLine();
    }

    static String defaultOf(Runbook rb, String name) {
        return rb.param(name).orElseThrow().defaultValue();
    }

    @Test
    void paramDefaultsKeepTheTextTheAuthorWrote() {
        Runbook rb = parse("""
                params:
                  version: 13.10
                  port: 05432
                  sync: off
                  enabled: yes
                  home: ~
                  literal_null: null
                  day: 2024-01-01
                  hex: 0x1F
                  sci: 1e3
                  clock: 12:30:00
                  plain: appdb
                  quoted: '007'
                  nested: {default: 13.10, description: yes}
                """);
        assertEquals("13.10", defaultOf(rb, "version"));
        assertEquals("05432", defaultOf(rb, "port"));
        assertEquals("off", defaultOf(rb, "sync"));
        assertEquals("yes", defaultOf(rb, "enabled"));
        assertEquals("~", defaultOf(rb, "home"));
        assertEquals("null", defaultOf(rb, "literal_null"));
        assertEquals("2024-01-01", defaultOf(rb, "day"));
        assertEquals("0x1F", defaultOf(rb, "hex"));
        assertEquals("1e3", defaultOf(rb, "sci"));
        assertEquals("12:30:00", defaultOf(rb, "clock"));
        assertEquals("appdb", defaultOf(rb, "plain"));
        assertEquals("007", defaultOf(rb, "quoted"));
        assertEquals("13.10", defaultOf(rb, "nested"));
        assertEquals("yes", rb.param("nested").orElseThrow().description());
    }

    @Test
    void theTitleIsTextToo() {
        assertEquals("2024-01-01", parse("title: 2024-01-01\n").title());
        assertEquals("13.10", parse("title: 13.10\n").title());
    }

    @Test
    void secretTrueStillMarksASecretAndAnythingButTrueOrFalseIsAnError() {
        Runbook rb = parse("""
                params:
                  pw: {secret: true}
                  token: {secret: "true", default: abc}
                  shown: {secret: false, default: x}
                """);
        assertTrue(rb.param("pw").orElseThrow().secret());
        assertTrue(rb.param("pw").orElseThrow().required());
        assertTrue(rb.param("token").orElseThrow().secret());
        assertFalse(rb.param("shown").orElseThrow().secret());
        assertEquals("x.md:5: malformed front matter: param 'pw': secret must be true or false, not 'yes'",
                error("params:\n  a: 1\n  pw:\n    secret: yes\n"));
    }

    @Test
    void anEmptyValueMakesAParamRequiredWhileQuotedEmptyIsAnEmptyDefault() {
        Runbook rb = parse("""
                params:
                  pw:
                  archive: ""
                  url: {default: , description: where}
                  note: {description: no default}
                """);
        assertTrue(rb.param("pw").orElseThrow().required());
        assertNull(defaultOf(rb, "pw"));
        assertFalse(rb.param("archive").orElseThrow().required());
        assertEquals("", defaultOf(rb, "archive"));
        assertTrue(rb.param("url").orElseThrow().required());
        assertTrue(rb.param("note").orElseThrow().required());
    }

    @Test
    void yamlSyntaxErrorsAreOneLineAtTheMarkdownLine() {
        // line 1 is ---, so YAML's third line is the file's fourth
        String tab = error("title: x\nparams:\n\tpw: 1\n");
        assertTrue(tab.startsWith("x.md:4: malformed front matter: "), tab);
        String flow = error("title: x\nparams:\n  a: [1, 2\n  b: 3\n");
        assertTrue(flow.startsWith("x.md:5: malformed front matter: "), flow);
        // an unterminated quote is reported where it opens, not at the end of the block
        String quote = error("title: 'unclosed\nparams:\n  a: 1\n");
        assertTrue(quote.startsWith("x.md:2: malformed front matter: "), quote);
    }

    @Test
    void keyErrorsPointAtTheKeyEvenInAFlowMap() {
        assertEquals("x.md:4: malformed front matter: param 'b' has unknown key 'secrt' (known: default, secret, description)",
                error("params:\n  a: 1\n  b: {default: 2, secrt: true}\n"));
        assertEquals("x.md:4: malformed front matter: unknown key 'parms' (known: title, params, description, tags)",
                error("title: t\nparams:\nparms:\n"));
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNotTheLastOneWins() {
        assertEquals("x.md:4: malformed front matter: param 'a' is given twice (first at line 3)",
                error("params:\n  a: 1\n  a: 2\n"));
    }
}
