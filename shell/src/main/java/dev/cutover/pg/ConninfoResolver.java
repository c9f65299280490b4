package dev.cutover.pg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * libpq's rules for where a connection's settings come from, so that {@code connect} takes what a
 * DBA's psql takes: the connection string (a URL or {@code host=... port=...}), then the service it
 * names ({@code service=} or PGSERVICE, from PGSERVICEFILE or ~/.pg_service.conf, then the system
 * file), then PG* environment variables, then libpq's defaults; a password not given by any of
 * those comes from the password file (PGPASSFILE or ~/.pgpass). The environment and home directory
 * are the operator's, passed in: never this JVM's own by surprise.
 */
public final class ConninfoResolver {
    /** libpq's environment variables, by the keyword each stands for (PGSERVICE is taken first, apart). */
    private static final Map<String, String> ENV = ordered(
            "host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE", "user", "PGUSER", "password", "PGPASSWORD",
            "passfile", "PGPASSFILE", "sslmode", "PGSSLMODE", "sslrootcert", "PGSSLROOTCERT", "sslcert", "PGSSLCERT",
            "sslkey", "PGSSLKEY", "sslcrl", "PGSSLCRL", "connect_timeout", "PGCONNECT_TIMEOUT", "options", "PGOPTIONS");
    private static final Set<String> SSLMODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    /** Where libpq looks for a server's socket when no host is given: Debian's build, then upstream's. */
    static final List<Path> DEFAULT_SOCKET_DIRS = List.of(Path.of("/var/run/postgresql"), Path.of("/tmp"));
    /** Debian's libpq is built with this sysconfdir (pg_config --sysconfdir). */
    private static final Path DEFAULT_SYSCONFDIR = Path.of("/etc/postgresql-common");

    private final Map<String, String> env;
    private final Path home;
    private final List<Path> socketDirs;

    /**
     * @param env  the operator's environment variables (PGHOST, PGSERVICE, PGPASSFILE, ...)
     * @param home the operator's home directory (~/.pgpass, ~/.pg_service.conf)
     */
    public ConninfoResolver(Map<String, String> env, Path home) {
        this(env, home, DEFAULT_SOCKET_DIRS);
    }

    ConninfoResolver(Map<String, String> env, Path home, List<Path> socketDirs) {
        this.env = env;
        this.home = home;
        this.socketDirs = socketDirs;
    }

    /**
     * The connection {@code spec} describes (a postgresql:// URL, a keyword/value string, or null for
     * the environment alone). Problems are one-line IllegalArgumentExceptions naming the setting's
     * source; a password file libpq would ignore (group or world access) is used, with a warning.
     */
    public ConnInfo resolve(String spec, Consumer<String> warn) {
        Settings s = new Settings();
        String where = spec == null || spec.isBlank() ? "the environment" : "url '" + ConnInfo.mask(spec) + "'";
        if (spec != null && !spec.isBlank()) {
            boolean url = !ConninfoString.looksLikeOne(spec);
            Map<String, String> given;
            try {
                given = url ? ConnInfo.urlKeywords(spec) : ConninfoString.parse(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(url ? e.getMessage() : where + ": " + e.getMessage());
            }
            given.forEach((k, v) -> s.put(k, v, url ? "the url" : "the connection string"));
        }
        String service = s.value("service");
        if (service == null && nonBlank(env.get("PGSERVICE"))) s.put("service", env.get("PGSERVICE"), "PGSERVICE");
        service = s.value("service");
        if (service != null) addService(s, service);
        ENV.forEach((keyword, variable) -> {
            if (!s.has(keyword) && nonBlank(env.get(variable))) s.put(keyword, env.get(variable), variable);
        });
        if (!s.has("user")) s.put("user", System.getProperty("user.name"), "the operating-system user");
        if (!s.has("port")) s.put("port", "5432", "the default port");
        if (!s.has("dbname")) s.put("dbname", s.value("user"), "the user name");
        if (!s.has("host")) s.put("host", defaultHost(Integer.parseInt(digitsOr(s.value("port")))), "the default host");

        String user = s.take("user");
        String host = s.take("host");
        int port = ConnInfo.port(s.take("port"), where + " (port from " + s.origin("port") + ")");
        String db = s.take("dbname");
        String password = s.take("password");
        String mode = s.value("sslmode");
        if (mode != null && !SSLMODES.contains(mode)) {
            throw new IllegalArgumentException("sslmode=" + mode + " (from " + s.origin("sslmode") + ") is not one of " + String.join(", ",
                    List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")));
        }
        ConnInfo.checkTimeouts(s.values, where);
        if (password == null) {
            Path passfile = s.has("passfile") ? Path.of(s.value("passfile")) : home.resolve(".pgpass");
            password = fromPassfile(passfile, host, port, db, user, warn);
            if (password != null) s.origins.put("password", passfile.toString());
        }
        return new ConnInfo(user, password, host, port, db, Map.copyOf(s.values), Map.copyOf(s.origins));
    }

    private void addService(Settings s, String service) {
        String from = s.origin("service");
        Path user = nonBlank(env.get("PGSERVICEFILE")) ? Path.of(env.get("PGSERVICEFILE")) : home.resolve(".pg_service.conf");
        Path system = (nonBlank(env.get("PGSYSCONFDIR")) ? Path.of(env.get("PGSYSCONFDIR")) : DEFAULT_SYSCONFDIR).resolve("pg_service.conf");
        for (Path file : List.of(user, system)) {
            if (!Files.isReadable(file)) continue;
            Map<String, String> settings = PgjdbcFiles.service(file, service);
            if (settings == null) continue;
            settings.forEach((k, v) -> {
                if (!s.has(k)) s.put(k, v, "service " + service + " in " + file);
            });
            return;
        }
        throw new IllegalArgumentException("service '" + service + "' (from " + from + ") is not defined in " + user + " or " + system);
    }

    private String fromPassfile(Path passfile, String host, int port, String db, String user, Consumer<String> warn) {
        if (!Files.isRegularFile(passfile)) return null;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(passfile);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                warn.accept("password file " + passfile + " has group or world access: psql would ignore it; chmod 0600 " + passfile);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // permissions unknown: read it as libpq would on such a filesystem
        }
        // libpq matches a socket in its default directory as "localhost", any other by its path.
        String pgpassHost = socketDirs.stream().anyMatch(d -> d.toString().equals(host)) ? "localhost" : host;
        return PgjdbcFiles.password(passfile, pgpassHost, port, db, user);
    }

    /** libpq's default: the Unix socket in its default directory; localhost when no socket is there (a server not started yet). */
    private String defaultHost(int port) {
        for (Path dir : socketDirs) {
            if (Files.exists(dir.resolve(".s.PGSQL." + port))) return dir.toString();
        }
        return "localhost";
    }

    private static String digitsOr(String port) {
        return port != null && port.matches("\\d{1,5}") ? port : "5432";
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** The settings gathered so far and where each came from. */
    private static final class Settings {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, String> origins = new LinkedHashMap<>();

        void put(String keyword, String value, String origin) {
            values.put(keyword, value);
            origins.put(keyword, origin);
        }

        boolean has(String keyword) {
            return values.containsKey(keyword);
        }

        String value(String keyword) {
            return values.get(keyword);
        }

        String origin(String keyword) {
            return origins.get(keyword);
        }

        /** The value, no longer among the options passed on (the origin stays, for messages). */
        String take(String keyword) {
            return values.remove(keyword);
        }
    }
}
