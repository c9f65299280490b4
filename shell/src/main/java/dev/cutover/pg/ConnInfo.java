package dev.cutover.pg;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A libpq-style URL, {@code postgresql://user[:password]@host[:port][/database][?key=value&...]},
 * turned into what pgjdbc needs. The password never appears in {@link #toString()}.
 */
public record ConnInfo(String user, String password, String host, int port, String database, Map<String, String> options) {
    private static final Pattern URL = Pattern.compile(
            "^postgres(?:ql)?://(?:(?<user>[^:@/?]*)(?::(?<pw>[^/?]*))?@)?(?<host>\\[[^]]+]|[^:/?@]+)?(?::(?<port>\\d+))?(?:/(?<db>[^?]*))?(?:\\?(?<q>.*))?$");

    public static ConnInfo parse(String url) {
        Matcher m = URL.matcher(url == null ? "" : url.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("url '" + mask(url) + "' is not a postgresql://user@host:port/database url");
        }
        String user = decode(m.group("user"));
        if (user == null || user.isEmpty()) user = System.getProperty("user.name");
        String host = m.group("host") == null ? "localhost" : m.group("host").replace("[", "").replace("]", "");
        int port = m.group("port") == null ? 5432 : Integer.parseInt(m.group("port"));
        String db = decode(m.group("db"));
        if (db == null || db.isEmpty()) db = user;
        Map<String, String> opts = new LinkedHashMap<>();
        if (m.group("q") != null && !m.group("q").isEmpty()) {
            for (String kv : m.group("q").split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) opts.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
            }
        }
        String pw = decode(m.group("pw"));
        if (pw == null && opts.containsKey("password")) pw = opts.remove("password");
        for (String key : TIMEOUT_KEYS) {
            String v = opts.get(key);
            if (v != null && (!v.matches("\\d{1,6}") || Integer.parseInt(v) == 0)) {
                throw new IllegalArgumentException("url '" + mask(url) + "': " + key + "=" + v + " is not a number of seconds (1 or more)");
            }
        }
        return new ConnInfo(user, pw, host, port, db, Map.copyOf(opts));
    }

    /** libpq's name and pgjdbc's, both accepted in the URL. */
    private static final java.util.List<String> TIMEOUT_KEYS = java.util.List.of("connect_timeout", "connectTimeout");
    private static final int DEFAULT_CONNECT_TIMEOUT = 5;

    /**
     * Seconds a login may take, from the TCP connect to the end of authentication: {@code connect_timeout}
     * (libpq's name) or {@code connectTimeout} (pgjdbc's) in the URL, else 5.
     */
    public int connectTimeoutSeconds() {
        for (String key : TIMEOUT_KEYS) {
            if (options.containsKey(key)) return Integer.parseInt(options.get(key));
        }
        return DEFAULT_CONNECT_TIMEOUT;
    }

    private static String decode(String s) {
        return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL with any password masked, for messages. */
    public static String mask(String url) {
        return url == null ? "" : url.replaceAll("(://[^:/@\\s]*:)[^/?\\s]*@", "$1******@").replaceAll("(?i)(password=)[^&]*", "$1******");
    }

    /** The environment that gives PostgreSQL's tools the password (never their command line): PGPASSWORD, or nothing. */
    public java.util.Map<String, String> passwordEnv() {
        return password == null ? java.util.Map.of() : java.util.Map.of("PGPASSWORD", password);
    }

    public ConnInfo withPassword(String pw) {
        return new ConnInfo(user, pw, host, port, database, options);
    }

    public ConnInfo withDatabase(String db) {
        return new ConnInfo(user, password, host, port, db, options);
    }

    public ConnInfo withPort(int p) {
        return new ConnInfo(user, password, host, p, database, options);
    }

    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /**
     * pgjdbc properties. The PgBouncer admin console speaks only the simple query protocol.
     * connectTimeout bounds only the TCP connect; a peer that accepts and never answers would then
     * cost a socket-read timeout per SSL attempt, so loginTimeout bounds the whole login as well.
     * No socketTimeout: statements legitimately run long (hashing a big table, a PAUSE within its
     * budget) and are bounded by step timeouts and Ctrl-C instead; tcpKeepAlive notices dead peers.
     */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "cutover");
        String timeout = String.valueOf(connectTimeoutSeconds());
        p.setProperty("connectTimeout", timeout);
        p.setProperty("loginTimeout", timeout);
        p.setProperty("tcpKeepAlive", "true");
        if (database.equals("pgbouncer")) {
            p.setProperty("preferQueryMode", "simple");
            p.setProperty("assumeMinServerVersion", "9.4");
        }
        options.forEach((k, v) -> {
            if (!k.equals("connect_timeout")) p.setProperty(k, v);
        });
        return p;
    }

    /** {@code user@host:port/db}, never the password. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
