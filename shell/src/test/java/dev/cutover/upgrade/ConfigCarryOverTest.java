package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigCarryOverTest {
    @Test
    void keepsWhatTheNewVersionKnowsDropsTheRestAndNeverCarriesPathsOrRecovery() {
        Map<String, String> old = new LinkedHashMap<>();
        old.put("shared_buffers", "512MB");
        old.put("wal_keep_segments", "64");
        old.put("primary_conninfo", "host=old port=5432");
        old.put("data_directory", "/srv/old");
        old.put("port", "5432");
        old.put("search_path", "\"$user\", public, 'odd'");
        ConfigCarryOver.Result r = ConfigCarryOver.of(old, Set.of("shared_buffers", "search_path", "primary_conninfo", "port", "data_directory"));
        assertEquals(List.of("shared_buffers", "search_path"), List.copyOf(r.kept().keySet()));
        assertEquals(List.of("wal_keep_segments"), r.dropped());
        String text = r.fileText("old", 5415);
        assertTrue(text.contains("shared_buffers = '512MB'\n"), text);
        assertTrue(text.contains("search_path = '\"$user\", public, ''odd'''\n"), text);
        assertTrue(text.endsWith("port = 5415\n"), text);
        assertTrue(text.contains("# Not carried (unknown to the new version): wal_keep_segments"), text);
    }
}
