package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;

/** {@code --dry-run} on real servers: every write is listed as "would run", none reaches the database. */
@LabTest
class DryRunTest {
    @TempDir
    Path dir;

    private Map<String, Object> state(Lab lab) throws Exception {
        return lab.query(lab.oldPort(), "appdb", """
                select (select count(*) from customers) as customers,
                       (select last_value from customers_id_seq) as seq,
                       (select count(*) from pg_class where relname = 'dry_run_made_me') as made,
                       current_setting('work_mem') as work_mem,
                       (select count(*) from pg_file_settings where name = 'work_mem' and sourcefile like '%auto.conf') as auto_conf
                """).get(0);
    }

    @Test
    void aDryRunChangesNothingAndListsEveryWrite(Lab lab) throws Exception {
        Cli.write(dir, "writes.md", """
                ---
                title: Writes in a dry run
                params:
                  old_url: {description: the old primary}
                  old_ssh: {description: its host}
                ---

                # Writes

                ## Connect

                ```groovy always
                old = connect 'old', url: params.old_url, ssh: params.old_ssh
                app = connect 'app', url: params.old_url.replaceAll('/postgres$', '/appdb')
                ```

                ## An insert in a fence

                ```sql app
                insert into customers (email) values ('dry@run.example');
                ```

                ## Writes from Groovy

                ```groovy
                app.sql("create table dry_run_made_me (a int)")
                app.sql("update customers set email = 'x' || email")
                def n = app.value("select nextval('customers_id_seq')")
                old.sql("alter system set work_mem = '77MB'")
                old.sql("select pg_reload_conf()")
                r = old.sh('touch /tmp/cutover-dry-run-was-here')
                assert !r.ran
                println "read ${app.value('select count(*) from customers')} customers; nextval gave ${n}; sh says ${r}"
                ```

                ## A write that slips past the words

                ```groovy continue-on-error
                app.sql("select 1; select set_config('x.y', 'z', false)")
                ```
                """);
        Map<String, Object> before = state(lab);
        Files.deleteIfExists(Path.of("/tmp/cutover-dry-run-was-here"));
        Cli.Result r = Cli.run(dir, "run", "writes.md", "--params-file", lab.paramsFile().toString(), "--dry-run", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertEquals(before, state(lab), "the database is as it was");
        assertFalse(Files.exists(Path.of("/tmp/cutover-dry-run-was-here")), "sh did not run");
        for (String listed : new String[] {"would run: app: insert into customers", "would run: app: create table dry_run_made_me",
                "would run: app: update customers", "would run: app: select nextval", "would run: old: alter system set work_mem",
                "would run: old: select pg_reload_conf()", "touch /tmp/cutover-dry-run-was-here"}) {
            assertTrue(r.out().contains(listed), "lists '" + listed + "':\n" + r.out());
        }
        assertTrue(r.out().contains("read 1000 customers; nextval gave null; sh says not run (dry run)"), r.out());
    }

    @Test
    void theLabTourDryRunsWithoutFailing(Lab lab) throws Exception {
        Cli.Result r = Cli.run(dir, "run", Lab.repoRoot().resolve("runbooks/lab-tour.md").toString(),
                "--params-file", lab.paramsFile().toString(), "--dry-run", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertFalse(r.out().contains("NullPointerException"), r.out());
    }
}
