package dev.cutover.pg;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standby's {@code primary_conninfo} as the standby's own libpq understands it. pg_basebackup
 * -R writes every option its (newer) libpq knows; a 9.6 walreceiver refuses the whole line for one
 * unknown word ("invalid connection option passfile") and never streams.
 */
public final class PrimaryConninfo {
    /** libpq connection options and the server_version_num whose libpq first accepted them. */
    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("passfile", 100_000), Map.entry("target_session_attrs", 100_000),
            Map.entry("gssencmode", 120_000), Map.entry("channel_binding", 130_000),
            Map.entry("ssl_min_protocol_version", 130_000), Map.entry("ssl_max_protocol_version", 130_000),
            Map.entry("sslsni", 140_000), Map.entry("sslcrldir", 140_000), Map.entry("sslcertmode", 160_000),
            Map.entry("require_auth", 160_000), Map.entry("load_balance_hosts", 160_000), Map.entry("sslnegotiation", 170_000));
    /** keyword = value, the value bare or single-quoted with '' and \' escapes, as libpq writes it. */
    private static final Pattern PAIR = Pattern.compile("(\\w+)\\s*=\\s*('(?:[^'\\\\]|\\\\.|'')*'|\\S+)");

    private PrimaryConninfo() {
    }

    /** The conninfo without the options a server of {@code version} does not know. */
    public static String forVersion(String conninfo, PgVersion version) {
        StringBuilder out = new StringBuilder();
        Matcher m = PAIR.matcher(conninfo);
        while (m.find()) {
            Integer since = SINCE.get(m.group(1));
            if (since != null && version.num() < since) continue;
            if (out.length() > 0) out.append(' ');
            out.append(m.group(1)).append('=').append(m.group(2));
        }
        return out.toString();
    }
}
