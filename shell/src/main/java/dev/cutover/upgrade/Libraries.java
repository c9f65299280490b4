package dev.cutover.upgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.cutover.spi.Check;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;

/**
 * The C libraries the old cluster's functions load ({@code probin}: {@code $libdir/name} or an
 * absolute path) and whether the new version can use each. A file that is there proves little: a
 * library built for the old version sits at the same absolute path and fails with "incompatible
 * library: version mismatch". So the rehearsal does what pg_upgrade does: LOAD each one in a running
 * server of the new version.
 */
public final class Libraries {
    /** A library and the functions that use it. */
    public record Used(String library, int functions, TreeSet<String> databases) {
        String describe() {
            return library + " (" + functions + " function" + (functions == 1 ? "" : "s") + " in " + String.join(", ", databases) + ")";
        }
    }

    /** Printed by {@link #loadScript} for each library: "cutover:load &lt;index&gt; ok" or "cutover:load &lt;index&gt; fail &lt;error&gt;". */
    static final String LOAD_MARK = "cutover:load ";

    private Libraries() {
    }

    /** pg_upgrade's own list: C functions that are not built in (prolang 13 is C). */
    public static List<Used> of(Server old, List<String> databases) {
        Map<String, Integer> functions = new TreeMap<>();
        Map<String, TreeSet<String>> where = new TreeMap<>();
        for (String db : databases) {
            for (Map<String, Object> row : old.sqlIn(db, "select probin, count(*) as n from pg_proc where prolang = 13 and probin is not null "
                    + "and oid >= 16384 group by probin")) {
                String lib = String.valueOf(row.get("probin"));
                functions.merge(lib, ((Number) row.get("n")).intValue(), Integer::sum);
                where.computeIfAbsent(lib, k -> new TreeSet<>()).add(db);
            }
        }
        List<Used> used = new ArrayList<>();
        functions.forEach((lib, n) -> used.add(new Used(lib, n, where.get(lib))));
        return used;
    }

    /**
     * Where the new version would look: {@code $libdir/name} in its pkglibdir, an absolute path as
     * that file on the new cluster's host.
     *
     * @return library → why it is missing
     */
    public static Map<String, String> missing(Server at, Install target, List<Used> used) {
        Map<String, String> missing = new LinkedHashMap<>();
        List<String> absolute = new ArrayList<>();
        for (Used u : used) {
            if (u.library().startsWith("/")) {
                absolute.add(u.library());
            } else if (!target.hasLibrary(u.library())) {
                missing.put(u.library(), "not in " + target.pkglibdir());
            }
        }
        if (!absolute.isEmpty()) {
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < absolute.size(); i++) {
                String f = ShellQuote.quote(absolute.get(i));
                script.append("{ [ -f ").append(f).append(" ] || [ -f ").append(f).append(".so ]; } || echo ").append(i).append('\n');
            }
            ExecResult r = at.quietShell(script.toString(), Duration.ofSeconds(30));
            if (!r.ok()) {
                for (String lib : absolute) missing.put(lib, "could not look on " + at.getHost().name() + ": " + r.lastLine());
            } else {
                for (String line : r.stdout().split("\n")) {
                    if (!line.isBlank()) missing.put(absolute.get(Integer.parseInt(line.strip())), "no such file on " + at.getHost().name());
                }
            }
        }
        return missing;
    }

    /** The presence check (no server of the new version needed): what is missing, or that each is there. */
    public static Check presence(Server at, Install target, List<Used> used, boolean loadFollows) {
        String version = target.version().majorText();
        if (used.isEmpty()) return Check.ok("C libraries", "none used by functions");
        Map<String, String> missing = missing(at, target, used);
        if (!missing.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Used u : used) if (missing.containsKey(u.library())) items.add(u.describe() + ": " + missing.get(u.library()));
            return Check.fail("C libraries", missing.size() + " of " + used.size() + " missing for " + version + ": " + String.join("; ", items),
                    "install the " + version + " build of each (at the same absolute path for those named by path), or drop the functions "
                            + "that use it before the window");
        }
        int functions = used.stream().mapToInt(Used::functions).sum();
        return Check.ok("C libraries", used.size() + " used by " + functions + " functions, each present where " + version + " looks"
                + (loadFollows ? " (the rehearsal loads each below)" : "; a file built for another version would still fail: "
                + "the rehearsal (check: true) loads each into " + version));
    }

    /**
     * A shell fragment that LOADs each library in a server of the new version listening on the socket
     * directory in shell variable {@code $w}: one session per library, so each gets its own answer.
     */
    static String loadScript(String bindir, int port, String user, List<Used> used) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < used.size(); i++) {
            String sql = "LOAD '" + used.get(i).library().replace("'", "''") + "'";
            List<String> options = new ArrayList<>(List.of("-p", String.valueOf(port), "-d", "template1"));
            if (user != null) options.addAll(List.of("-U", user));
            options.addAll(List.of("-c", sql));
            String psql = ShellQuote.quote(bindir + "/psql") + " -X -q -At -h \"$w\" " + ShellQuote.join(options);
            s.append("if o=$(").append(psql).append(" 2>&1); then echo '").append(LOAD_MARK).append(i).append(" ok'; ")
                    .append("else loadfail=1; echo \"").append(LOAD_MARK).append(i).append(" fail $(echo \"$o\" | sed 's/^psql:[^:]*: //' | tr '\\n' ' ')\"; fi\n");
        }
        return s.toString();
    }

    /** @return library → error, for each that did not load; a library the script did not answer for counts as not loaded */
    static Map<String, String> parseLoad(List<String> lines, List<Used> used) {
        Map<String, String> failed = new LinkedHashMap<>();
        boolean[] answered = new boolean[used.size()];
        for (String line : lines) {
            if (!line.startsWith(LOAD_MARK)) continue;
            String[] f = line.substring(LOAD_MARK.length()).split(" ", 3);
            int i = Integer.parseInt(f[0]);
            answered[i] = true;
            if (f[1].equals("fail")) failed.put(used.get(i).library(), f.length > 2 ? f[2].strip() : "LOAD failed");
        }
        for (int i = 0; i < used.size(); i++) if (!answered[i]) failed.putIfAbsent(used.get(i).library(), "not loaded: the check did not get that far");
        return failed;
    }

    /** LOAD each library in a running server of the new version (a dump's existing target). */
    static Map<String, String> loadIn(Server server, List<Used> used) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (Used u : used) {
            try (Connection c = server.openConnection("postgres"); Statement st = c.createStatement()) {
                st.execute("LOAD '" + u.library().replace("'", "''") + "'");
            } catch (SQLException e) {
                failed.put(u.library(), String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        return failed;
    }

    /** The rehearsal's verdict from the LOADs. */
    static Check loaded(List<Used> used, Map<String, String> failed, String version, String where) {
        if (failed.isEmpty()) {
            return Check.ok("C libraries load", used.size() + " loaded into " + version + " (LOAD in " + where + ", as pg_upgrade does)");
        }
        List<String> items = new ArrayList<>();
        for (Used u : used) if (failed.containsKey(u.library())) items.add(u.describe() + ": " + failed.get(u.library()));
        return Check.fail("C libraries load", failed.size() + " of " + used.size() + " cannot be loaded by " + version + ": " + String.join("; ", items),
                "build and install each library for " + version + " (at the same path when named by absolute path), or drop the functions "
                        + "that use it (select oid::regprocedure from pg_proc where probin = '...') before the window; pg_upgrade would stop at "
                        + "'Checking for presence of required libraries'");
    }
}
