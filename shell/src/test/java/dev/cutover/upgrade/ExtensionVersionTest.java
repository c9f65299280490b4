package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Extension versions compare as numbers, part by part: a target that packages an older one cannot take the cluster. */
class ExtensionVersionTest {
    @Test
    void dottedVersionsCompareAsNumbers() {
        assertTrue(ClusterChecks.olderThan("1.4", "1.10"), "1.4 < 1.10, not by text");
        assertTrue(ClusterChecks.olderThan("1.5", "1.6"));
        assertFalse(ClusterChecks.olderThan("1.6", "1.6"));
        assertFalse(ClusterChecks.olderThan("1.6.0", "1.6"), "a trailing .0 is the same version");
        assertFalse(ClusterChecks.olderThan("2.0", "1.9"));
        assertFalse(ClusterChecks.olderThan("unpackaged", "1.0"), "not a dotted number: never called older");
    }
}
