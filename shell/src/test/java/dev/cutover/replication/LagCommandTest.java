package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.cutover.pg.FakeSql;
import dev.cutover.pg.ReplicationStatus;
import dev.cutover.pg.Server;
import dev.cutover.pg.ServerStatus;
import dev.cutover.spi.FakeContext;
import dev.cutover.spi.Invocation;

/** lag without servers: it never reports one standby's lag as another's. */
class LagCommandTest {
    private static final ServerStatus STANDBY = new ServerStatus(true, null, 150_010, "15.10", true, 1, "0/3000000", "/srv/pg/15/neu");

    private static Map<String, Object> row(String state, String replay, long lag) {
        Map<String, Object> r = new HashMap<>();
        r.put("state", state);
        r.put("sent", "0/3000000");
        r.put("replay", replay);
        r.put("lag_bytes", lag);
        r.put("lag_seconds", null);
        return r;
    }

    @Test
    void twoStandbysAndNoSlotIsUnknownNotTheFirstOnesLag() throws Exception {
        FakeContext ctx = new FakeContext(false);
        Server old = new FakeSql().answer("from pg_stat_replication", List.of(row("streaming", "0/3000000", 0), row("catchup", "0/1000000", 33554432)))
                .server("old", null, ctx);
        Server neu = new FakeSql().status(STANDBY).answer("pg_stat_wal_receiver", List.of()).server("neu", null, ctx);

        ReplicationStatus s = (ReplicationStatus) new LagCommand().run(ctx, Invocation.of("lag", new Object[] {old, neu}));

        assertEquals("unknown", s.state());
        assertNull(s.lagBytes());
        assertTrue(s.summary().contains("pass slot:"), s.summary());
    }

    @Test
    void theSlotPicksTheStandby() throws Exception {
        FakeContext ctx = new FakeContext(false);
        FakeSql primary = new FakeSql().answer("where s.slot_name = \\?", List.of(row("streaming", "0/2FFFF00", 256)));
        Server old = primary.server("old", null, ctx);
        Server neu = new FakeSql().status(STANDBY).server("neu", null, ctx);

        ReplicationStatus s = (ReplicationStatus) new LagCommand().run(ctx, Invocation.of("lag", new Object[] {Map.of("slot", "cutover_neu"), old, neu}));

        assertEquals("streaming", s.state());
        assertEquals(256L, s.lagBytes());
        assertTrue(primary.sent.get(primary.sent.size() - 1).contains("join pg_replication_slots"), primary.sent.toString());
    }
}
