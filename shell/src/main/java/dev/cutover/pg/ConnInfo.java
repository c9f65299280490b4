package dev.cutover.pg;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL server is and how to log in, turned into what pgjdbc and PostgreSQL's own
 * tools need. Made from a libpq-style URL ({@link #parse}) or by libpq's rules from a URL,
 * keyword/value string, service, environment and password file ({@link ConninfoResolver}).
 * The password never appears in {@link #toString()}.
 *
 * @param host    a host name or address, or a directory holding the server's Unix-domain socket (starts with /)
 * @param options the other libpq/pgjdbc keywords (sslmode, sslrootcert, connect_timeout, ...)
 * @param origins where a setting came from, for messages: keyword to "url", "PGHOST", "/root/.pgpass", ...
 */
public record ConnInfo(String user, String password, String host, int port, String database, Map<String, String> options,
                       Map<String, String> origins) {
    private static final Pattern URL = Pattern.compile(
            "^postgres(?:ql)?://(?:(?<user>[^:@/?]*)(?::(?<pw>[^/?]*))?@)?(?<host>\\[[^]]+]|[^:/?@]+)?(?::(?<port>\\d+))?(?:/(?<db>[^?]*))?(?:\\?(?<q>.*))?$");
    /** pgjdbc's class that opens a Unix-domain socket from the path in socketFactoryArg. */
    private static final String UNIX_SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    public ConnInfo(String user, String password, String host, int port, String database, Map<String, String> options) {
        this(user, password, host, port, database, options, Map.of());
    }

    /** A URL as written (no environment, no files): user defaults to this OS user, host to localhost, port 5432, database to the user. */
    public static ConnInfo parse(String url) {
        Map<String, String> k = urlKeywords(url);
        String user = k.remove("user");
        if (user == null || user.isEmpty()) user = System.getProperty("user.name");
        String host = k.remove("host");
        if (host == null || host.isEmpty()) host = "localhost";
        String port = k.remove("port");
        String db = k.remove("dbname");
        if (db == null || db.isEmpty()) db = user;
        String pw = k.remove("password");
        checkTimeouts(k, "url '" + mask(url) + "'");
        return new ConnInfo(user, pw, host, port == null ? 5432 : port(port, "url '" + mask(url) + "'"), db, Map.copyOf(k));
    }

    /**
     * A URL's settings under libpq's keywords (user, password, host, port, dbname, then the query's
     * own: sslmode, service, host=/socket/dir, ...); what the URL does not say is absent.
     */
    public static Map<String, String> urlKeywords(String url) {
        Matcher m = URL.matcher(url == null ? "" : url.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("url '" + mask(url) + "' is not a postgresql://user@host:port/database url");
        }
        Map<String, String> k = new LinkedHashMap<>();
        putIfPresent(k, "user", decode(m.group("user")));
        putIfPresent(k, "password", decode(m.group("pw")));
        if (m.group("host") != null) putIfPresent(k, "host", decode(m.group("host").replace("[", "").replace("]", "")));
        putIfPresent(k, "port", m.group("port"));
        putIfPresent(k, "dbname", decode(m.group("db")));
        if (m.group("q") != null && !m.group("q").isEmpty()) {
            for (String kv : m.group("q").split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) k.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
            }
        }
        return k;
    }

    private static void putIfPresent(Map<String, String> k, String key, String value) {
        if (value != null && !value.isEmpty()) k.put(key, value);
    }

    static int port(String value, String where) {
        if (!value.matches("\\d{1,5}") || Integer.parseInt(value) == 0 || Integer.parseInt(value) > 65535) {
            throw new IllegalArgumentException(where + ": port=" + value + " is not a port number");
        }
        return Integer.parseInt(value);
    }

    static void checkTimeouts(Map<String, String> opts, String where) {
        for (String key : TIMEOUT_KEYS) {
            String v = opts.get(key);
            if (v != null && (!v.matches("\\d{1,6}") || Integer.parseInt(v) == 0)) {
                throw new IllegalArgumentException(where + ": " + key + "=" + v + " is not a number of seconds (1 or more)");
            }
        }
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

    /** The URL or keyword/value string with any password masked, for messages. */
    public static String mask(String url) {
        return url == null ? "" : url.replaceAll("(://[^:/@\\s]*:)[^/?\\s]*@", "$1******@")
                .replaceAll("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^&\\s]*)", "$1******");
    }

    /** Where the password (or another setting) came from, for messages; null when it was never set. */
    public String origin(String keyword) {
        return origins.get(keyword);
    }

    /** Whether {@link #host} is the directory of a Unix-domain socket rather than a network host. */
    public boolean isUnixSocket() {
        return host.startsWith("/");
    }

    /** Where the server listens, for messages: {@code host:port}, or the socket file. */
    public String where() {
        return isUnixSocket() ? host.replaceAll("/+$", "") + "/.s.PGSQL." + port : host + ":" + port;
    }

    /** libpq environment variables for the settings PostgreSQL's tools need beyond -h/-p/-U. */
    private static final Map<String, String> TOOL_ENV = orderedMap(
            "sslmode", "PGSSLMODE", "sslrootcert", "PGSSLROOTCERT", "sslcert", "PGSSLCERT", "sslkey", "PGSSLKEY", "sslcrl", "PGSSLCRL");

    /**
     * The environment that gives PostgreSQL's tools (pg_basebackup, pg_dump, psql, ...) the password
     * and TLS settings of this connection, never their command line: PGPASSWORD, PGSSLMODE,
     * PGSSLROOTCERT, ... Certificate paths are used as given, on whichever host the tool runs.
     */
    public Map<String, String> toolEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        if (password != null) env.put("PGPASSWORD", password);
        if (!isUnixSocket()) TOOL_ENV.forEach((keyword, variable) -> {
            if (options.containsKey(keyword)) env.put(variable, options.get(keyword));
        });
        return Map.copyOf(env);
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    public ConnInfo withPassword(String pw, String origin) {
        Map<String, String> o = new LinkedHashMap<>(origins);
        o.put("password", origin);
        return new ConnInfo(user, pw, host, port, database, options, Map.copyOf(o));
    }

    public ConnInfo withPassword(String pw) {
        return new ConnInfo(user, pw, host, port, database, options, origins);
    }

    public ConnInfo withDatabase(String db) {
        return new ConnInfo(user, password, host, port, db, options, origins);
    }

    public ConnInfo withPort(int p) {
        return new ConnInfo(user, password, host, p, database, options, origins);
    }

    /** A socket directory's server is addressed through the socket factory; the URL's host is then a placeholder. */
    public String jdbcUrl() {
        String h = isUnixSocket() ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** libpq keywords that are not pgjdbc properties (resolved already, or named differently). */
    private static final java.util.Set<String> NOT_FOR_PGJDBC = java.util.Set.of("connect_timeout", "service", "passfile", "application_name");

    /**
     * pgjdbc properties. The PgBouncer admin console speaks only the simple query protocol.
     * connectTimeout bounds only the TCP connect; a peer that accepts and never answers would then
     * cost a socket-read timeout per SSL attempt, so loginTimeout bounds the whole login as well.
     * No socketTimeout: statements legitimately run long (hashing a big table, a PAUSE within its
     * budget) and are bounded by step timeouts and Ctrl-C instead; tcpKeepAlive notices dead peers.
     * A Unix-domain socket goes through junixsocket (pgjdbc cannot open one), without TLS, which
     * PostgreSQL never offers on a socket (libpq ignores sslmode there too).
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
            if (!NOT_FOR_PGJDBC.contains(k)) p.setProperty(k, v);
        });
        if (isUnixSocket()) {
            p.setProperty("socketFactory", UNIX_SOCKET_FACTORY);
            p.setProperty("socketFactoryArg", where());
            p.setProperty("sslmode", "disable");
            p.remove("tcpKeepAlive");
        }
        return p;
    }

    /** {@code postgresql://user@host:port/db}, never the password (a socket directory as libpq's URLs write it: ?host=). */
    @Override
    public String toString() {
        if (isUnixSocket()) return "postgresql://" + user + "@:" + port + "/" + database + "?host=" + host;
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
