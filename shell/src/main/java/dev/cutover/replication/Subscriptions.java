package dev.cutover.replication;

import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.pg.Server;
import dev.cutover.pg.ConnInfo;

/** Publications and subscriptions of a link, one database at a time, always by cutover's names. */
final class Subscriptions {
    private final CommandContext ctx;
    private final Databases dbs;

    Subscriptions(CommandContext ctx, Databases dbs) {
        this.ctx = ctx;
        this.dbs = dbs;
    }

    /** {@code CREATE PUBLICATION name FOR ALL TABLES}, unless it is there already. */
    void publish(Server server, String db, String name) {
        if (dbs.value(server, db, "select count(*) from pg_publication where pubname = ?", name) instanceof Number n && n.longValue() > 0) return;
        dbs.write(server, db, "create publication " + ident(name) + " for all tables");
    }

    /** A subscription on {@code subscriber} to {@code publisher}'s publication, creating its slot there. */
    void subscribe(Server subscriber, Server publisher, String db, String subscription, String publication, String slot, boolean copyData,
                   String publisherHost, Integer publisherPort) {
        subscribe(subscriber, publisher, db, subscription, publication, slot, copyData, true, publisherHost, publisherPort);
    }

    /** The same; with {@code createSlot} false the slot must exist on the publisher already (see {@link #slot}). */
    void subscribe(Server subscriber, Server publisher, String db, String subscription, String publication, String slot, boolean copyData,
                   boolean createSlot, String publisherHost, Integer publisherPort) {
        ConnInfo c = publisher.getConnInfo();
        if (c.password() != null) ctx.addSecret(c.password());
        String conninfo = "host=" + value(publisherHost != null ? publisherHost : c.host()) + " port=" + (publisherPort != null ? publisherPort : c.port())
                + " dbname=" + value(db) + " user=" + value(c.user()) + (c.password() != null ? " password=" + value(c.password()) : "");
        dbs.write(subscriber, db, "create subscription " + ident(subscription) + " connection " + literal(conninfo) + " publication "
                + ident(publication) + " with (copy_data = " + copyData + ", create_slot = " + createSlot + ", slot_name = " + literal(slot) + ")");
    }

    /**
     * A logical slot (pgoutput) made in {@code db} on {@code server} over the open connection: it
     * begins now. Returns where it starts and the server's WAL position then, as text (empty in a dry run).
     */
    String[] slot(Server server, String db, String slot) {
        List<Map<String, Object>> rows = dbs.write(server, db, "select s.lsn::text as start, pg_current_wal_lsn()::text as now "
                + "from pg_create_logical_replication_slot(?, 'pgoutput') s", slot); // logical slots: PostgreSQL 10 or later, so the name is fixed
        if (rows.isEmpty()) return new String[] {"", ""};
        return new String[] {String.valueOf(rows.get(0).get("start")), String.valueOf(rows.get(0).get("now"))};
    }

    /**
     * Drops a subscription and its slot on the publisher. When the publisher cannot be reached the
     * subscription is detached from its slot first and dropped anyway; the slot is then reported
     * (clean-up drops it by name when the publisher is back).
     */
    String unsubscribe(Server subscriber, String db, String subscription) {
        if (!(dbs.value(subscriber, db, "select count(*) from pg_subscription s join pg_database d on d.oid = s.subdbid "
                + "where d.datname = current_database() and s.subname = ?", subscription) instanceof Number n) || n.longValue() == 0) {
            return null;
        }
        try {
            dbs.write(subscriber, db, "drop subscription " + ident(subscription));
            return null;
        } catch (CommandException e) {
            dbs.write(subscriber, db, "alter subscription " + ident(subscription) + " disable");
            dbs.write(subscriber, db, "alter subscription " + ident(subscription) + " set (slot_name = none)");
            dbs.write(subscriber, db, "drop subscription " + ident(subscription));
            return subscriber.getName() + " (" + db + "): subscription " + subscription + " dropped without its slot (" + e.getMessage() + ")";
        }
    }

    void unpublish(Server server, String db, String name) {
        if (dbs.value(server, db, "select count(*) from pg_publication where pubname = ?", name) instanceof Number n && n.longValue() > 0) {
            dbs.write(server, db, "drop publication " + ident(name));
        }
    }

    /** Tables of a subscription not yet ready ({@code srsubstate <> 'r'}), as {@code table (state)}. */
    List<Map<String, Object>> notReady(Server subscriber, String db, String subscription) {
        return dbs.read(subscriber, db, "select r.srrelid::regclass::text as t, r.srsubstate::text as state from pg_subscription_rel r "
                + "join pg_subscription s on s.oid = r.srsubid where s.subname = ? and r.srsubstate <> 'r' order by 1", subscription);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A libpq conninfo value, quoted when it must be. */
    private static String value(String v) {
        if (v.matches("[A-Za-z0-9_.\\-/:]+")) return v;
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
