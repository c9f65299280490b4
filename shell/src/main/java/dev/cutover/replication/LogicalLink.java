package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cutover.spi.CommandException;
import dev.cutover.pg.Server;

/**
 * A logical link as the catalogs show it: the subscription (by cutover's names) on the server that
 * receives, in which databases, and that it points at the given publisher. Read from the servers,
 * not from the session, so a resumed run finds the link replicate made in an earlier one.
 */
public record LogicalLink(Server publisher, Server subscriber, LinkNames names, String subscription, List<String> databases) {
    private static final Pattern PORT = Pattern.compile("(?:^|\\s)port=(\\d+)");

    /** The link into {@code subscriber} from {@code publisher}, or null when {@code subscriber} has no cutover subscription. */
    public static LogicalLink find(Server subscriber, Server publisher, LinkNames names) {
        if (subscriber.getVersionNum() < 100_000) return null;
        List<Map<String, Object>> rows = subscriber.sql("select s.subname, d.datname, s.subconninfo from pg_subscription s "
                + "join pg_database d on d.oid = s.subdbid where s.subname in (?, ?) order by s.subname, d.datname", names.forward(), names.back());
        if (rows.isEmpty()) return null;
        String sub = String.valueOf(rows.get(0).get("subname"));
        List<String> dbs = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (!sub.equals(r.get("subname"))) {
                throw new CommandException(subscriber.getName() + " has both " + names.forward() + " and " + names.back()
                        + " subscriptions: replicate ..., mode: 'logical', drop: true to clean up");
            }
            Matcher m = PORT.matcher(String.valueOf(r.get("subconninfo")));
            if (m.find() && Integer.parseInt(m.group(1)) != publisher.getPort()) {
                throw CommandException.refused(subscriber.getName() + "'s subscription " + sub + " in " + r.get("datname") + " receives from port "
                        + m.group(1) + ", not from " + publisher.getName() + " (port " + publisher.getPort() + "); nothing was changed");
            }
            dbs.add(String.valueOf(r.get("datname")));
        }
        return new LogicalLink(publisher, subscriber, names, sub, dbs);
    }

    /** Whether {@code to} receives from {@code from} through a cutover subscription. */
    public static boolean exists(Server to, Server from) {
        return find(to, from, new LinkNames(LinkNames.DEFAULT)) != null;
    }

    String slot(String db) {
        return names.slot(subscription, db);
    }
}
