package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;

@LabTest
class SqlRunbookTest {
    @TempDir
    Path dir;

    @Test
    void sqlFencesRunInBatchAndTheTranscriptShowsRowsWithThePasswordMasked(Lab lab) throws Exception {
        Cli.write(dir, "sql.md", """
                ---
                title: SQL fences on the lab
                params:
                  old_url: {description: the old primary}
                  old_ssh: {description: its host}
                  app_password: {secret: true, description: the app role's password}
                ---

                # SQL fences

                ## Connect

                ```groovy always
                old = connect 'old', url: params.old_url, ssh: params.old_ssh
                app = connect 'app', url: "postgresql://app:${params.app_password}@127.0.0.1:%d/appdb"
                ```

                ## Customers

                ```sql app
                select count(*) as customers, max(email) as last_email from customers;
                ```

                ## Version

                ```sql old id=version
                select current_setting('server_version_num') as num;
                ```
                """.formatted(lab.oldPort()));
        Cli.Result r = Cli.run(dir, "run", "sql.md", "--params-file", lab.paramsFile().toString(),
                "-p", "app_password=app-secret", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        assertTrue(t.contains("customers | last_email"), t);
        assertTrue(t.contains("     1000 | User9@Example.org"), t);
        assertTrue(t.contains("num\n------\n130016"), t);
        assertTrue(t.contains("old: PostgreSQL 13."), "the connect status line is in the transcript");
        assertFalse(t.contains("app-secret"), "the password never reaches the transcript");
        assertFalse(r.out().contains("app-secret"), "nor the screen");
    }
}
