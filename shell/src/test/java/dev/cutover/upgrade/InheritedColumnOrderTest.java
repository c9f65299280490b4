package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.cutover.pg.FakeSql;
import dev.cutover.spi.Check;
import dev.cutover.spi.FakeContext;
import dev.cutover.upgrade.InheritedColumnOrder.Reordered;
import dev.cutover.upgrade.InheritedColumnOrder.Table;

/** The order a restore gives inheritance children, as the regression database's own cases show it (checked against pg_dump 13 and 15). */
class InheritedColumnOrderTest {
    private static Table t(String name, List<String> columns, Long... parents) {
        return new Table(name, columns, List.of(parents));
    }

    @Test
    void aColumnAddedToTheParentLaterMovesUpInEveryDescendant() {
        // a_star (class, aa) gained a after b_star and c_star were created; d_star inherits both.
        Map<Long, Table> tables = Map.of(
                1L, t("public.a_star", List.of("class", "aa", "a")),
                2L, t("public.b_star", List.of("class", "aa", "bb", "a"), 1L),
                3L, t("public.c_star", List.of("class", "aa", "cc", "a"), 1L),
                4L, t("public.d_star", List.of("class", "aa", "bb", "cc", "dd", "a"), 2L, 3L));
        assertEquals(List.of(
                new Reordered("public.b_star", List.of("class", "aa", "bb", "a"), List.of("class", "aa", "a", "bb")),
                new Reordered("public.c_star", List.of("class", "aa", "cc", "a"), List.of("class", "aa", "a", "cc")),
                new Reordered("public.d_star", List.of("class", "aa", "bb", "cc", "dd", "a"), List.of("class", "aa", "a", "bb", "cc", "dd"))),
                InheritedColumnOrder.reordered(tables));
    }

    @Test
    void aChildAttachedWithItsOwnOrderComesBackInTheParentsOrder() {
        Map<Long, Table> tables = Map.of(
                1L, t("public.test_type_diff2", List.of("int_two", "int_four", "int_eight")),
                2L, t("public.test_type_diff2_c1", List.of("int_four", "int_eight", "int_two"), 1L),
                3L, t("public.test_type_diff2_c3", List.of("int_two", "int_four", "int_eight"), 1L),
                // a child's own columns come after its parents', in their order
                4L, t("public.renamecolumn", List.of("d", "w")),
                5L, t("public.renamecolumnchild", List.of("d", "a", "w"), 4L));
        assertEquals(List.of(
                new Reordered("public.renamecolumnchild", List.of("d", "a", "w"), List.of("d", "w", "a")),
                new Reordered("public.test_type_diff2_c1", List.of("int_four", "int_eight", "int_two"), List.of("int_two", "int_four", "int_eight"))),
                InheritedColumnOrder.reordered(tables));
    }

    @Test
    void theWarningNamesTwentyThenSaysHowManyMoreAndPrintsEveryOrder() {
        FakeSql sql = new FakeSql();
        List<Map<String, Object>> answer = new java.util.ArrayList<>();
        answer.add(Map.of("oid", 1L, "name", "public.parent", "columns", List.of("a", "b"), "parents", List.of()));
        for (long i = 0; i < 23; i++) {
            answer.add(Map.of("oid", 100 + i, "name", String.format("public.child%02d", i), "columns", List.of("b", "a"), "parents", List.of(1L)));
        }
        sql.answer("(?s)select c.oid::bigint as oid.*", answer);
        FakeContext ctx = new FakeContext(false);
        Check c = InheritedColumnOrder.check(ctx, sql.server("old", null, ctx), 130_016, List.of("app"));
        assertEquals(Check.Status.WARN, c.status());
        assertTrue(c.detail().startsWith("23 come back from the dump with their parents' columns first"), c.detail());
        assertTrue(c.detail().endsWith("app:public.child19 and 3 more"), c.detail());
        assertTrue(c.fix().contains("method: 'link'"), c.fix());
        assertTrue(ctx.lines.contains("ERR   app:public.child22: (b, a) becomes (a, b)"), ctx.lines.toString());
        assertTrue(sql.sent.get(0).contains("not c.relispartition"), sql.sent.get(0));

        // 9.6 has no partitions (nor relispartition); a cluster without inheritance is ok.
        FakeSql old96 = new FakeSql().answer("(?s)select c.oid::bigint as oid.*", List.of());
        Check none = InheritedColumnOrder.check(ctx, old96.server("old", null, ctx), 90_624, List.of("app"));
        assertEquals(Check.Status.OK, none.status());
        assertTrue(!old96.sent.get(0).contains("relispartition"), old96.sent.get(0));
    }
}
