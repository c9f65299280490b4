package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.OutputKind;

/**
 * The lists pg_upgrade --check writes when it refuses ({@code postfix_ops.txt},
 * {@code loadable_libraries.txt}, ...), kept next to the new data directory: each shown in full (or
 * up to {@link #LISTED} lines and how many more), and each known one turned into a check with its own
 * fix line.
 */
public final class PgUpgradeReport {
    /** Lines of a report file shown before "… and N more lines". */
    static final int LISTED = 200;

    /** A report file as the rehearsal script returned it. */
    public record File(String path, List<String> lines) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private record Known(String title, String fix) {
    }

    private static final Map<String, Known> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("postfix_ops.txt", new Known("postfix operators", "drop them (DROP OPERATOR name (type, NONE)) or replace them with prefix "
                + "operators or function calls, and change the queries that use them"));
        KNOWN.put("loadable_libraries.txt", new Known("libraries the new version cannot load", "build and install each for the new version "
                + "(at the same path when named by absolute path), or drop the functions that use it"));
        KNOWN.put("tables_using_reg.txt", new Known("reg* columns", "convert these columns to text (pg_upgrade cannot keep the OIDs they hold)"));
        KNOWN.put("incompatible_polymorphics.txt", new Known("incompatible polymorphic functions", "drop these aggregates and operators, and "
                + "re-create them after the upgrade with anycompatible/anycompatiblearray arguments"));
        KNOWN.put("encoding_conversions.txt", new Known("user-defined encoding conversions", "drop them; re-create them after the upgrade with "
                + "functions written for the new signature"));
        KNOWN.put("tables_with_oids.txt", new Known("tables WITH OIDS", "ALTER TABLE ... SET WITHOUT OIDS"));
        KNOWN.put("tables_using_composite.txt", new Known("system-defined composite types in user tables", "change those columns to a type of "
                + "your own or to text"));
        KNOWN.put("contrib_isn_and_int8_pass_by_value.txt", new Known("contrib/isn with a different bigint passing", "move the databases that "
                + "use isn by dump (method: 'dump'), or drop isn from them"));
        KNOWN.put("databases_with_datallowconn_false.txt", new Known("databases that refuse connections", "ALTER DATABASE ... "
                + "ALLOW_CONNECTIONS true for each (template0 excepted)"));
        KNOWN.put("tables_using_sql_identifier.txt", new Known("sql_identifier columns", "change them to text or varchar"));
        KNOWN.put("tables_using_unknown.txt", new Known("unknown-typed columns", "change them to text"));
        KNOWN.put("tables_using_jsonb.txt", new Known("jsonb columns from 9.4 beta", "dump and restore those tables"));
        KNOWN.put("tables_using_line.txt", new Known("line columns", "change them to another geometric type or text"));
        KNOWN.put("tables_using_aclitem.txt", new Known("aclitem columns", "change them to text"));
        KNOWN.put("not_null_inconsistent_columns.txt", new Known("NOT NULL constraints inconsistent with parents",
                "ALTER TABLE ... ALTER COLUMN ... SET NOT NULL on the children named"));
    }

    private PgUpgradeReport() {
    }

    /** Prints each file in full (or up to {@link #LISTED} lines) and returns one failed check per file with its fix. */
    public static List<Check> checks(CommandContext ctx, List<File> files) {
        List<Check> checks = new ArrayList<>();
        for (File f : files) {
            Known k = KNOWN.get(f.name());
            if (k == null && f.name().startsWith("tables_using_")) {
                String type = f.name().substring("tables_using_".length(), f.name().length() - ".txt".length());
                k = new Known(type + " columns", "the type " + type + " is gone from the new version: change those columns to a type it has");
            }
            String title = k != null ? k.title() : f.name();
            ctx.out(OutputKind.ERR, "pg_upgrade's " + f.name() + " (" + f.lines().size() + " lines, kept in " + f.path() + "):");
            for (int i = 0; i < Math.min(LISTED, f.lines().size()); i++) ctx.out(OutputKind.ERR, "  " + f.lines().get(i));
            if (f.lines().size() > LISTED) ctx.out(OutputKind.ERR, "  … and " + (f.lines().size() - LISTED) + " more lines in " + f.path());
            long items = f.lines().stream().filter(l -> l.startsWith(" ") || l.startsWith("\t")).count();
            checks.add(Check.fail("pg_upgrade --check: " + title, (items > 0 ? items : f.lines().size()) + " listed in " + f.path(),
                    k != null ? k.fix() : "read the file: pg_upgrade's message above says what to change"));
        }
        return checks;
    }
}
