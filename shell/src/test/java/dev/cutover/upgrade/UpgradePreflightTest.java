package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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

    @Test
    void theRefusalSaysWhyPgUpgradeStopped() {
        assertEquals("Checking for user-defined postfix operators fatal", PgUpgradeRehearsal.whyPgUpgradeStopped(List.of(
                "Checking for prepared transactions                          ok",
                "Checking for user-defined postfix operators                 fatal", "", "Your installation contains user-defined postfix operators,",
                "    /srv/new15/pg_upgrade_output.d/20261126T1/postfix_ops.txt", "", "Failure, exiting"), 1));
        assertEquals("New cluster database \"appdb\" is not empty: found relation \"public.pgbench_history\"",
                PgUpgradeRehearsal.whyPgUpgradeStopped(List.of("Checking for not-null constraint inconsistencies            ok", "",
                        "New cluster database \"appdb\" is not empty: found relation \"public.pgbench_history\"", "Failure, exiting"), 1));
        assertEquals("exit 2", PgUpgradeRehearsal.whyPgUpgradeStopped(List.of(), 2));
    }
}
