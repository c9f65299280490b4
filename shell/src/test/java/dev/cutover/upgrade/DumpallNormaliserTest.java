package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pg_dumpall normalisation of the regression upgrade test, on dump text alone (no server). */
class DumpallNormaliserTest {

    private static String lines(String... l) {
        return String.join("\n", l) + "\n";
    }

    @Test
    void versionLinesRestrictKeysAndBlankLinesAreNormalisedOnBothSides() {
        String old = lines("--", "-- PostgreSQL database dump", "--", "", "\\restrict abcDEF123", "",
                "-- Dumped from database version 13.16 (Debian 13.16-0+deb11u1)", "-- Dumped by pg_dump version 15.18", "",
                "SET lock_timeout = 0;", "", "", "\\unrestrict abcDEF123");
        String neu = lines("--", "-- PostgreSQL database dump", "--", "\\restrict Zyx987", "",
                "-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)", "-- Dumped by pg_dump version 15.18",
                "SET lock_timeout = 0;", "", "\\unrestrict Zyx987");
        String a = DumpallNormaliser.old(13, old).text();
        assertEquals(a, DumpallNormaliser.neu(13, neu).text());
        assertTrue(a.contains("\\restrict KEY\n") && a.contains("\\unrestrict KEY\n") && !a.contains("Dumped from"), a);
        // pg_dump's own version line is the same tool on both sides and stays.
        assertTrue(a.contains("-- Dumped by pg_dump version 15.18"), a);
    }

    @Test
    void whatAFourteenOrLaterServerAddsToAThirteenDumpIsRemovedFromTheNewSide() {
        String old = lines(
                "CREATE PROCEDURE public.ptest1(x text, y integer)",
                "    LANGUAGE sql",
                "    AS $$ select 1 $$;",
                "",
                "CREATE TYPE public.widget (",
                "    INTERNALLENGTH = 24,",
                "    INPUT = public.widget_in,",
                "    OUTPUT = public.widget_out,",
                "    ALIGNMENT = double,",
                "    STORAGE = plain",
                ");",
                "",
                "CREATE TYPE public.float8range AS RANGE (",
                "    subtype = double precision",
                ");",
                "",
                "CREATE OPERATOR CLASS public.part_test_int4_ops",
                "    FOR TYPE integer USING hash FAMILY public.part_test_int4_ops AS",
                "    OPERATOR 1 =(integer,integer) ,",
                "    FUNCTION 2 (integer, integer) public.part_hashint4_noop(integer,bigint);");
        String neu = lines(
                "CREATE PROCEDURE public.ptest1(IN x text, IN y integer)",
                "    LANGUAGE sql",
                "    AS $$ select 1 $$;",
                "",
                "CREATE TYPE public.widget (",
                "    INTERNALLENGTH = 24,",
                "    INPUT = public.widget_in,",
                "    OUTPUT = public.widget_out,",
                "    SUBSCRIPT = raw_array_subscript_handler,",
                "    ALIGNMENT = double,",
                "    STORAGE = plain",
                ");",
                "",
                "CREATE TYPE public.float8range AS RANGE (",
                "    subtype = double precision,",
                "    multirange_type_name = public.float8multirange",
                ");",
                "",
                "CREATE OPERATOR CLASS public.part_test_int4_ops",
                "    FOR TYPE integer USING hash FAMILY public.part_test_int4_ops AS",
                "    OPERATOR 1 =(integer,integer);",
                "",
                "ALTER OPERATOR FAMILY public.part_test_int4_ops USING hash ADD",
                "    FUNCTION 2 (integer, integer) public.part_hashint4_noop(integer,bigint);");
        assertEquals(DumpallNormaliser.old(13, old).text(), DumpallNormaliser.neu(13, neu).text());
        // From 14 on both sides print the same: nothing is removed.
        assertNotEquals(DumpallNormaliser.old(14, old).text(), DumpallNormaliser.neu(14, neu).text());
    }

    @Test
    void viewAndRuleTextIsSetAsideAndTheOnesThatDifferAreNamed() {
        String old = lines(
                "CREATE VIEW public.limit_thousand_v_1 AS",
                " SELECT onek.thousand",
                "   FROM public.onek",
                "  ORDER BY onek.thousand",
                " FETCH FIRST 5 ROWS WITH TIES;",
                "",
                "ALTER TABLE public.limit_thousand_v_1 OWNER TO postgres;",
                "",
                "CREATE RULE rtest_sys_del AS",
                "    ON DELETE TO public.rtest_system DO ( DELETE FROM public.rtest_interface",
                "  WHERE (rtest_interface.sysname = old.sysname);",
                " DELETE FROM public.rtest_admin",
                "  WHERE (rtest_admin.sysname = old.sysname);",
                ");",
                "",
                "CREATE MATERIALIZED VIEW public.mvtest_tm AS",
                " SELECT t.type",
                "   FROM public.mvtest_t t",
                "  WITH NO DATA;",
                "");
        String neu = old.replace("FETCH FIRST 5 ROWS", "FETCH FIRST (5) ROWS");
        DumpallNormaliser.Normalised a = DumpallNormaliser.old(13, old), b = DumpallNormaliser.neu(13, neu);
        assertEquals(a.text(), b.text());
        assertEquals(List.of("CREATE VIEW public.limit_thousand_v_1"), a.viewsDifferingFrom(b));
        assertEquals(3, a.views().size(), a.views().toString());
        // A multi-statement rule is one statement: its inner lines ending in ';' do not end it.
        assertTrue(a.views().get("CREATE RULE rtest_sys_del AS").contains(" DELETE FROM public.rtest_admin\n"), a.views().toString());
        assertTrue(a.text().contains("ALTER TABLE public.limit_thousand_v_1 OWNER TO postgres;"), a.text());

        // A view the new cluster lacks is named too (and shows in the text as well).
        DumpallNormaliser.Normalised c = DumpallNormaliser.neu(13, neu.substring(neu.indexOf("CREATE RULE")));
        assertTrue(a.viewsDifferingFrom(c).contains("CREATE VIEW public.limit_thousand_v_1"));
        assertNotEquals(a.text(), c.text());
    }

    @Test
    void inheritanceChildrenReorderedByADumpCompareEqualAndAreNamed() {
        String old = lines(
                "CREATE TABLE public.test_type_diff2_c1 (",
                "    int_four bigint,",
                "    int_eight bigint,",
                "    int_two smallint",
                ")",
                "INHERITS (public.test_type_diff2);",
                "",
                "COPY public.test_type_diff2_c1 (int_four, int_eight, int_two, \"Odd, name\") FROM stdin;",
                "4\t8\t2\tx",
                "40\t\\N\t20\ta\\tb",
                "\\.",
                "");
        String neu = lines(
                "CREATE TABLE public.test_type_diff2_c1 (",
                "    int_two smallint,",
                "    int_four bigint,",
                "    int_eight bigint",
                ")",
                "INHERITS (public.test_type_diff2);",
                "",
                "COPY public.test_type_diff2_c1 (\"Odd, name\", int_two, int_four, int_eight) FROM stdin;",
                "x\t2\t4\t8",
                "a\\tb\t20\t40\t\\N",
                "\\.",
                "");
        DumpallNormaliser.Normalised a = DumpallNormaliser.old(13, old), b = DumpallNormaliser.neu(13, neu);
        assertEquals(a.text(), b.text());
        assertEquals(List.of("CREATE TABLE public.test_type_diff2_c1 ("), a.columnOrdersDifferingFrom(b));
        assertEquals(List.of(), a.columnOrdersDifferingFrom(a));

        // Different data, or a column of another type, is still a difference.
        assertNotEquals(a.text(), DumpallNormaliser.neu(13, neu.replace("a\\tb\t20", "a\\tb\t21")).text());
        assertNotEquals(a.text(), DumpallNormaliser.neu(13, neu.replace("int_two smallint", "int_two integer")).text());
        // A table that does not inherit keeps its column order: pg_dump never changes it.
        String plain = old.replace(")\nINHERITS (public.test_type_diff2);", ");");
        assertNotEquals(DumpallNormaliser.old(13, plain).text(), DumpallNormaliser.neu(13, neu.replace(")\nINHERITS (public.test_type_diff2);", ");")).text());
    }

    @Test
    void whatAnUpgradeMustKeepStillDiffers() {
        String old = lines(
                "CREATE ROLE regress_reader;",
                "ALTER ROLE regress_reader WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;",
                "ALTER ROLE regress_reader SET search_path TO 'app';",
                "ALTER DATABASE regression SET lc_time TO 'C';",
                "GRANT SELECT ON TABLE public.onek TO regress_reader;",
                "COMMENT ON TABLE public.onek IS 'the thousand';");
        for (String lost : List.of("ALTER ROLE regress_reader SET search_path TO 'app';\n", "ALTER DATABASE regression SET lc_time TO 'C';\n",
                "GRANT SELECT ON TABLE public.onek TO regress_reader;\n", "COMMENT ON TABLE public.onek IS 'the thousand';\n")) {
            assertNotEquals(DumpallNormaliser.old(13, old).text(), DumpallNormaliser.neu(13, old.replace(lost, "")).text(), lost);
        }
        assertEquals(DumpallNormaliser.old(13, old).text(), DumpallNormaliser.neu(13, old).text());
    }

    @Test
    void columnListsSplitOnlyOutsideQuotes() {
        assertEquals(List.of("a", "\"b, c\"", "\"d\"\"e\""), DumpallNormaliser.identifiers("a, \"b, c\", \"d\"\"e\""));
        Map<String, String> views = new LinkedHashMap<>();
        // The same view name in two databases is two entries.
        DumpallNormaliser.setAsideViews(lines("CREATE VIEW public.v AS", " SELECT 1;", "", "CREATE VIEW public.v AS", " SELECT 2;", ""), views);
        assertEquals(List.of("CREATE VIEW public.v", "CREATE VIEW public.v #2"), List.copyOf(views.keySet()));
    }
}
