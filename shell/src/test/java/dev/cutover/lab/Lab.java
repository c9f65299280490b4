package dev.cutover.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real lab the integration tests run against: a PG13 primary, PgBouncer, sshd on loopback
 * "hosts", app hosts. Started by {@link LabExtension} once per test run with its own directory and
 * ports, so it never touches an operator's lab.
 */
public final class Lab {
    public static final String DIR = System.getProperty("cutover.test.lab", "/var/lib/cutover-lab-test");
    // Overridable so two checkouts (or two engineers) can run lab tests side by side on one machine.
    public static final int PORT_BASE = Integer.getInteger("cutover.test.portBase", 5513);
    public static final int BOUNCER_PORT = Integer.getInteger("cutover.test.bouncerPort", 6532);
    public static final int SSH_PORT = Integer.getInteger("cutover.test.sshPort", 2322);

    private final Path root;
    private final Map<String, String> params;

    Lab(Path root, Map<String, String> params) {
        this.root = root;
        this.params = params;
    }

    /** The repository root (where scripts/lab lives), found from the working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/lab"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find scripts/lab above " + Path.of("").toAbsolutePath());
        return p;
    }

    public Path repo() {
        return root;
    }

    public Map<String, String> params() {
        return params;
    }

    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalArgumentException("lab.params has no " + name);
        return v;
    }

    public Path paramsFile() {
        return Path.of(DIR, "lab.params");
    }

    public int oldPort() {
        return PORT_BASE;
    }

    /** Back to just-up: only old runs, as primary; no replicas or slots; PgBouncer on old; pristine hosts files. */
    public void reset() throws IOException, InterruptedException {
        Result r = script(root, "reset");
        if (r.exit() != 0) throw new IllegalStateException("scripts/lab reset failed:\n" + r.out());
    }

    /**
     * PostgreSQL's regression database in a PG13 cluster of its own ({@code scripts/lab regress-db}: built
     * once into the cache, a fresh copy started each call); returns its params (regress_url, regress_pgdata, ...).
     */
    public Map<String, String> regressDb() throws IOException, InterruptedException {
        Result r = script(root, "regress-db");
        if (r.exit() != 0) throw new IllegalStateException("scripts/lab regress-db failed:\n" + r.out());
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putAll(readParams(Path.of(DIR, "regress.params")));
        return all;
    }

    /** pgbench through PgBouncer, in the background; {@link Pgbench#await} returns its tally. */
    public Pgbench pgbench(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/lib/postgresql/15/bin/pgbench", "-n", "-M", "simple", "-h", "127.0.0.1",
                "-p", String.valueOf(BOUNCER_PORT), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("appdb");
        return new Pgbench(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** A running pgbench. */
    public static final class Pgbench {
        private final Process process;

        Pgbench(Process process) {
            this.process = process;
        }

        /** Waits for pgbench; returns [exit code, transactions processed, failed transactions] and its output. */
        public Tally await() throws IOException, InterruptedException {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(300, TimeUnit.SECONDS);
            long processed = find(out, "number of transactions actually processed: (\\d+)");
            long failed = find(out, "number of failed transactions: (\\d+)");
            return new Tally(process.exitValue(), processed, failed, out);
        }

        private static long find(String out, String regex) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    public record Tally(int exit, long processed, long failed, String output) {
    }

    /** Runs scripts/lab with the test lab's environment. */
    public static Result script(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("scripts/lab").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        env(pb.environment(), DIR, PORT_BASE, BOUNCER_PORT, SSH_PORT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("scripts/lab " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void env(Map<String, String> env, String dir, int base, int bouncer, int ssh) {
        env.put("CUTOVER_LAB", dir);
        env.put("LAB_PORT_BASE", String.valueOf(base));
        env.put("LAB_BOUNCER_PORT", String.valueOf(bouncer));
        env.put("LAB_SSH_PORT", String.valueOf(ssh));
    }

    public record Result(int exit, String out) {
    }

    static Map<String, String> readParams(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    /** A direct JDBC query (test plumbing, independent of the code under test). */
    public List<Map<String, Object>> query(int port, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
             Statement st = c.createStatement()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        rows.add(row);
                    }
                }
            }
            return rows;
        }
    }

    /** Runs a shell command on this machine and returns its stdout (test plumbing). */
    public static String shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
