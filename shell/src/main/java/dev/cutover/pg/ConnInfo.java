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
        return new ConnInfo(user, pw, host, port, db, Map.copyOf(opts));
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

    /** pgjdbc properties. The PgBouncer admin console speaks only the simple query protocol. */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "cutover");
        p.setProperty("connectTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        if (database.equals("pgbouncer")) {
            p.setProperty("preferQueryMode", "simple");
            p.setProperty("assumeMinServerVersion", "9.4");
        }
        options.forEach(p::setProperty);
        return p;
    }

    /** {@code user@host:port/db}, never the password. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
