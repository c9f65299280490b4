package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionUpdateScriptTest {
    @Test
    void splitsPgUpgradesScriptPerDatabase() {
        String script = "\\connect appdb\nALTER EXTENSION \"citext\" UPDATE;\nALTER EXTENSION \"hstore\" UPDATE;\n"
                + "\\connect 'my db'\nALTER EXTENSION \"pg_trgm\" UPDATE;\n\\connect empty\n";
        var parts = ExtensionUpdateScript.parse(script);
        assertEquals(2, parts.size());
        assertEquals("appdb", parts.get(0).database());
        assertEquals(List.of("ALTER EXTENSION \"citext\" UPDATE", "ALTER EXTENSION \"hstore\" UPDATE"), parts.get(0).statements());
        assertEquals("my db", parts.get(1).database());
    }

    /** What pg_upgrade's appendPsqlMetaConnect writes: identifiers in double quotes, other names as a quoted connection string. */
    @Test
    void readsEveryDatabaseNameAsPgUpgradeQuotesIt() {
        String script = "\\connect \"Mixed\"\nALTER EXTENSION \"citext\" UPDATE;\n"
                + "\\connect -reuse-previous=on \"dbname='app:eu'\"\nALTER EXTENSION \"citext\" UPDATE;\n"
                + "\\connect -reuse-previous=on \"dbname='q\"\"uo\\'te\\\\ ü=?&%'\"\nALTER EXTENSION \"citext\" UPDATE;\n";
        var parts = ExtensionUpdateScript.parse(script);
        assertEquals(List.of("Mixed", "app:eu", "q\"uo'te\\ ü=?&%"), parts.stream().map(ExtensionUpdateScript.PerDatabase::database).toList());
    }
}
