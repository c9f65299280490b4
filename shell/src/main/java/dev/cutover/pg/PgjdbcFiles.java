package dev.cutover.pg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.postgresql.PGEnvironment;
import org.postgresql.jdbcurlresolver.PgPassParser;
import org.postgresql.jdbcurlresolver.PgServiceConfParser;
import org.postgresql.util.PGPropertyUtil;

/**
 * pgjdbc's readers of the password file and the connection service file, run on the file
 * <em>we</em> chose. pgjdbc takes the file only from a system property (else the process's
 * environment and home), so the property is set for the call and restored, under one lock: the
 * operator's environment and home come from a seam ({@code cutover.home}, tests' temp dirs), not
 * from whatever this JVM inherited.
 */
final class PgjdbcFiles {
    private static final Object LOCK = new Object();

    private PgjdbcFiles() {
    }

    /** The password pgpass gives for these parameters, or null. */
    static String password(Path passfile, String host, int port, String database, String user) {
        synchronized (LOCK) {
            return withProperty(PGEnvironment.ORG_POSTGRESQL_PGPASSFILE.getName(), passfile,
                    () -> PgPassParser.getPassword(host, String.valueOf(port), database, user), new ArrayList<>());
        }
    }

    /**
     * The service's settings under libpq's keywords (host, port, dbname, user, sslmode, ...), or null
     * when the file has no such section. A section pgjdbc cannot read (a keyword it does not know)
     * is an IllegalArgumentException naming the line.
     */
    static Map<String, String> service(Path file, String name) {
        List<String> complaints = new ArrayList<>();
        Properties p;
        synchronized (LOCK) {
            p = withProperty(PGEnvironment.ORG_POSTGRESQL_PGSERVICEFILE.getName(), file,
                    () -> PgServiceConfParser.getServiceProperties(name), complaints);
        }
        if (p == null) {
            // pgjdbc says null both for "no such section" and for a section it refused: tell them apart.
            String refusal = complaints.stream().filter(c -> c.startsWith("Got invalid key") || c.startsWith("Not valid line")).findFirst().orElse(null);
            if (refusal == null) return null;
            throw new IllegalArgumentException("service '" + name + "' in " + file + ": " + refusal.replaceAll(", allowed values \\[.*$", "")
                    + " (pgjdbc reads only the keywords it knows)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) out.put(PGPropertyUtil.translatePGPropertyToPGService(key), p.getProperty(key));
        return out;
    }

    private static <T> T withProperty(String property, Path file, java.util.function.Supplier<T> call, List<String> complaints) {
        String before = System.getProperty(property);
        // pgjdbc explains a refusal only in its log; hear it without letting it reach the terminal.
        Logger log = Logger.getLogger("org.postgresql.jdbcurlresolver");
        Level level = log.getLevel();
        boolean parents = log.getUseParentHandlers();
        Handler hear = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    Object[] args = r.getParameters();
                    complaints.add(args == null || args.length == 0 ? r.getMessage() : java.text.MessageFormat.format(r.getMessage(), args));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try {
            System.setProperty(property, file.toString());
            log.setLevel(Level.WARNING);
            log.setUseParentHandlers(false);
            log.addHandler(hear);
            return call.get();
        } finally {
            log.removeHandler(hear);
            log.setUseParentHandlers(parents);
            log.setLevel(level);
            if (before == null) System.clearProperty(property);
            else System.setProperty(property, before);
        }
    }
}
