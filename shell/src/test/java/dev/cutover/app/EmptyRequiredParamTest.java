package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A required param given as empty text is a usage error naming it, not a silent empty password. */
class EmptyRequiredParamTest {
    @TempDir
    Path dir;

    static final String RUNBOOK = """
            ---
            params:
              pw: {secret: true, description: the password}
              archive: ""
            ---

            # Params

            ```groovy
            new File('ran.txt').text = "[${params.archive}]"
            ```
            """;

    @Test
    void anEmptyDashPIsAUsageErrorNamingTheParam() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=", "--transcript", "t.md");
        assertEquals(2, r.exit(), r.out());
        assertEquals("rb.md: param pw is required but was given empty: pass -p pw=VALUE\n", r.out());
        assertTrue(!Files.exists(dir.resolve("ran.txt")));
    }

    @Test
    void anEmptyLineInTheParamsFileIsTheSameError() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.write(dir, "lab.params", "# lab\npw=\n");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--params-file", "lab.params", "--transcript", "t.md");
        assertEquals(2, r.exit(), r.out());
        assertEquals("rb.md: param pw is required but was given empty: pass -p pw=VALUE\n", r.out());
    }

    @Test
    void anOptionalParamMayBeEmpty() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=s3cret", "-p", "archive=", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertEquals("[]", Files.readString(dir.resolve("ran.txt")));
    }
}
