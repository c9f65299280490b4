package dev.cutover.ops;

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
}
