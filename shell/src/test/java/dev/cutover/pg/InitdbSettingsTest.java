package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InitdbSettingsTest {
    @Test
    void passesEveryParitySettingExplicitly() {
        InitdbSettings s = new InitdbSettings("UTF8", "en_US.UTF-8", "en_US.UTF-8", false, 64, "postgres");
        assertEquals(List.of("-U", "postgres", "-E", "UTF8", "--lc-collate=en_US.UTF-8", "--lc-ctype=en_US.UTF-8", "--locale-provider=libc",
                "--wal-segsize=64"), s.initdbArgs(new PgVersion(150010)));
        // 18 turns checksums on by default: an old cluster without them needs them off explicitly.
        assertTrue(s.initdbArgs(new PgVersion(180000)).contains("--no-data-checksums"));
        assertTrue(new InitdbSettings(null, null, null, true, 16, null).initdbArgs(new PgVersion(130000)).contains("--data-checksums"));
    }

    @Test
    void namesWhatDiffersFromAnExistingCluster() {
        InitdbSettings old = new InitdbSettings("UTF8", "C", "C", false, 16, "postgres");
        assertEquals(List.of("data checksums off on old, on on new"), old.differences(new InitdbSettings(null, null, null, true, 16, null)));
    }
}
