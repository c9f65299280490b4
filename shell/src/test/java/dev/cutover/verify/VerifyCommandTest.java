package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.cutover.pg.FakeSql;
import dev.cutover.pg.Server;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.FakeContext;
import dev.cutover.spi.Invocation;

/** verify without a server: it never passes without having compared data it was meant to compare. */
class VerifyCommandTest {

    /** A primary on timeline 1 with one database, one table, one sequence and no standby. */
    private static FakeSql primary() {
        Map<String, Object> seq = new HashMap<>();
        seq.put("s", "public.ids");
        seq.put("last_value", null);
        return new FakeSql()
                .answer("^select 1$", List.of(Map.of("?column?", 1)))
                .answer("from pg_database", List.of(Map.of("datname", "appdb", "datallowconn", true)))
                .answer("from pg_roles|from pg_authid", List.of(Map.of("rolname", "postgres")))
                .answer("from pg_extension", List.of())
                .answer("from pg_class", List.of(Map.of("qualified", "public.t", "name", "t", "kind", "r", "persistence", "p", "populated", true)))
                .answer("from pg_sequences", List.of())
                .answer("from pg_available_extensions", List.of())
                .answer("from pg_stat_user_tables", List.of())
                .answer("from pg_stat_replication", List.of());
    }

    private static Snapshot snapshotOf(String server, Boolean frozen, Map<String, Long> sequences) {
        return new Snapshot(server, Instant.parse("2026-11-27T01:00:00Z"), "count", Map.of(), sequences, Map.of(), List.of("postgres"),
                List.of("appdb"), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), frozen);
    }

    private static String refusal(FakeContext ctx, Server server, Object... args) {
        Object[] all = new Object[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = server;
        CommandException e = assertThrows(CommandException.class, () -> new VerifyCommand().run(ctx, Invocation.of("verify", all)));
        assertTrue(e.isRefusal(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void withoutASnapshotNothingOfTheDataWasComparedAndVerifyFails() {
        FakeContext ctx = new FakeContext(false);
        String why = refusal(ctx, primary().server("up", "/usr/lib/postgresql/15/bin", ctx));
        assertTrue(why.contains("data: no snapshot to compare with, so no table, sequence or database was checked"), why);
        assertTrue(why.contains("against: false to check the server alone"), "says how to proceed: " + why);

        // Asked for explicitly, the server alone passes.
        FakeContext ctx2 = new FakeContext(false);
        Object report = assertDoesNotThrow(() -> new VerifyCommand().run(ctx2, Invocation.of("verify",
                new Object[] {Map.of("against", false), primary().server("up", "/usr/lib/postgresql/15/bin", ctx2)})));
        assertTrue(((CheckReport) report).passed());
    }

    @Test
    void aNullSnapshotVariableIsRefusedNotReadAsTheLatest() {
        FakeContext ctx = new FakeContext(false);
        Map<String, Object> named = new HashMap<>();
        named.put("against", null);
        CommandException e = assertThrows(CommandException.class, () -> new VerifyCommand().run(ctx,
                Invocation.of("verify", new Object[] {named, primary().server("up", "/usr/lib/postgresql/15/bin", ctx)})));
        assertTrue(e.getMessage().startsWith("verify: against: is null"), e.getMessage());
    }

    @Test
    void theLatestSnapshotOfTheServerItselfIsNotEvidence() {
        FakeContext ctx = new FakeContext(false);
        ctx.session(Snapshots.class, Snapshots::new).add(snapshotOf("up", true, Map.of()));
        String why = refusal(ctx, primary().server("up", "/usr/lib/postgresql/15/bin", ctx));
        assertTrue(why.contains("data: the latest snapshot is of up itself"), why);
    }

    @Test
    void aSequenceMissingOnTheTargetFailsEvenWhenTheSnapshotReadNoValue() {
        FakeContext ctx = new FakeContext(false);
        Map<String, Long> sequences = new HashMap<>();
        sequences.put("appdb:public.ids", null);   // never used on old: last_value is null
        String why = refusal(ctx, primary().server("up", "/usr/lib/postgresql/15/bin", ctx), Map.of("against", snapshotOf("old", true, sequences)));
        assertTrue(why.contains("sequences: behind or missing: appdb:public.ids missing"), why);
    }

    @Test
    void aSnapshotTakenWhileWritesFlowedIsSaid() throws Exception {
        FakeContext ctx = new FakeContext(false);
        CheckReport report = (CheckReport) new VerifyCommand().run(ctx, Invocation.of("verify",
                new Object[] {Map.of("against", snapshotOf("old", false, Map.of())), primary().server("up", "/usr/lib/postgresql/15/bin", ctx)}));
        assertTrue(report.passed());
        String text = report.rows().toString();
        assertTrue(text.contains("was taken 2026-11-27T01:00:00Z while no freeze was in force: rows written after it are not compared"), text);
        FakeContext ctx2 = new FakeContext(false);
        CheckReport frozen = (CheckReport) new VerifyCommand().run(ctx2, Invocation.of("verify",
                new Object[] {Map.of("against", snapshotOf("old", true, Map.of())), primary().server("up", "/usr/lib/postgresql/15/bin", ctx2)}));
        assertFalse(frozen.rows().toString().contains("no freeze was in force"), frozen.rows().toString());
    }

    @Test
    void settingsThatChangeWhatTheDataMeansAreSaid() throws Exception {
        FakeContext ctx = new FakeContext(false);
        FakeSql sql = primary().answer("from pg_settings", List.of(Map.of("name", "lc_collate", "setting", "en_US.UTF-8"),
                Map.of("name", "max_connections", "setting", "200"), Map.of("name", "server_encoding", "setting", "UTF8")));
        Snapshot snap = new Snapshot("old", Instant.parse("2026-11-27T01:00:00Z"), "count", Map.of(), Map.of(), Map.of(), List.of("postgres"),
                List.of("appdb"), Map.of("lc_collate", "C", "max_connections", "100", "server_encoding", "UTF8"), Map.of(), Map.of(), Map.of(),
                List.of(), true);
        CheckReport report = (CheckReport) new VerifyCommand().run(ctx, Invocation.of("verify",
                new Object[] {Map.of("against", snap), sql.server("up", "/usr/lib/postgresql/15/bin", ctx)}));
        String rows = report.rows().toString();
        assertTrue(rows.contains("differ from old: lc_collate C → en_US.UTF-8"), rows);
        assertFalse(rows.contains("max_connections"), "more connections than before is no difference worth a warning: " + rows);
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
