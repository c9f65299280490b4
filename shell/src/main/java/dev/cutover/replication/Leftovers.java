package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import dev.cutover.pg.Server;

/**
 * The slots and subscriptions of cutover's links still on a server: a forgotten logical slot keeps
 * WAL until the disk fills. The session remembers the servers its links touched, so the end of a
 * run can warn while any remain.
 */
public final class Leftovers {
    private final Set<Server> touched = new CopyOnWriteArraySet<>();
    private volatile LinkNames names = new LinkNames(LinkNames.DEFAULT);

    void touched(LinkNames n, Server... servers) {
        names = n;
        touched.addAll(List.of(servers));
    }

    /** One line per leftover on the servers this session linked; empty when clean or when it made no link. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (Server s : touched) {
            try {
                List<String> left = find(s, names);
                if (!left.isEmpty()) {
                    out.add(s.getName() + " still has " + String.join(", ", left) + ": they hold WAL until dropped; when the link is no longer needed: "
                            + "replicate from: ..., to: ..., mode: 'logical', drop: true");
                }
            } catch (RuntimeException e) {
                out.add(s.getName() + ": could not look for cutover's slots and subscriptions (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** Logical slots and subscriptions by cutover's names on one server (cluster-wide catalogs: one query each). */
    static List<String> find(Server s, LinkNames names) {
        if (!s.isRunning()) return List.of();
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : s.sql("select slot_name from pg_replication_slots where slot_type = 'logical' and slot_name like ? order by 1",
                names.slotPattern())) {
            out.add("slot " + r.get("slot_name"));
        }
        for (Map<String, Object> r : s.sql("select s.subname, d.datname from pg_subscription s join pg_database d on d.oid = s.subdbid "
                + "where s.subname in (?, ?) order by 1, 2", names.forward(), names.back())) {
            out.add("subscription " + r.get("subname") + " in " + r.get("datname"));
        }
        return out;
    }
}
