package dev.cutover.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import dev.cutover.pg.PgVersion;

class UpgradePreflightTest {
    @Test
    void majorVersionsCompareAcrossTheTwoNumberingEras() {
        assertTrue(UpgradePreflight.majorKey(new PgVersion(90624)) < UpgradePreflight.majorKey(new PgVersion(100023)));
        assertTrue(UpgradePreflight.majorKey(new PgVersion(90624)) > UpgradePreflight.majorKey(new PgVersion(90524)));
        assertTrue(UpgradePreflight.majorKey(new PgVersion(130016)) < UpgradePreflight.majorKey(new PgVersion(150010)));
        assertTrue(UpgradePreflight.majorKey(new PgVersion(150001)) == UpgradePreflight.majorKey(new PgVersion(150010)));
    }
}
