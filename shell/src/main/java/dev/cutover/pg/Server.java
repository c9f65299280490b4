package dev.cutover.pg;

import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;

/**
 * A PostgreSQL server as the runbook sees it: SQL over JDBC plus the host it lives on, its data
 * directory and binaries. Kept in a Groovy variable across steps; whatever it does is written to
 * the step that is running at the time.
 */
public final class Server implements AutoCloseable {
    private final String name;
    private final ConnInfo conn;
    private final Host host;
    private final String pgdata;
    private String bindir;
    private final Supplier<CommandContext> live;
    private Connection jdbc;
    private long lastUsed;
    private ServerStatus lastStatus;

    public Server(String name, ConnInfo conn, Host host, String pgdata, String bindir, Supplier<CommandContext> live) {
        this.name = name;
        this.conn = conn;
        this.host = host;
        this.pgdata = pgdata;
        this.bindir = bindir;
        this.live = live;
    }

    // ---- what runbooks read (Groovy properties) ----

    public String getName() {
        return name;
    }

    public Host getHost() {
        return host;
    }

    public String getPgdata() {
        if (pgdata != null) return pgdata;
        ServerStatus s = status();
        return s.dataDirectory();
    }

    public String getBindir() {
        return bindir;
    }

    public ConnInfo getConnInfo() {
        return conn;
    }

    /** The URL without its password. */
    public String getUrl() {
        return conn.toString();
    }

    public int getPort() {
        return conn.port();
    }

    /** Major version: 13, 15 (9.6 before 10). */
    public Number getVersion() {
        return new PgVersion(getVersionNum()).major();
    }

    public int getVersionNum() {
        ServerStatus s = probe();
        if (!s.reachable()) throw new CommandException(name + ": " + s.problem());
        return s.versionNum();
    }

    public PgVersion pgVersion() {
        return new PgVersion(getVersionNum());
    }

    public String getLsn() {
        return requireRunning().lsn();
    }

    public int getTimeline() {
        return requireRunning().timeline();
    }

    public boolean getInRecovery() {
        return requireRunning().inRecovery();
    }

    public boolean isRunning() {
        return probe().reachable();
    }

    /** The last probe's result (without asking the server again). */
    public ServerStatus status() {
        return lastStatus != null ? lastStatus : probe();
    }

    private ServerStatus requireRunning() {
        ServerStatus s = probe();
        if (!s.reachable()) throw new CommandException(name + ": " + s.problem());
        return s;
    }

    // ---- SQL ----

    /** Runs SQL (several statements allowed without params); bind parameters as {@code ?}, never concatenation. */
    public SqlResult sql(String text, Object... params) {
        CommandContext ctx = live.get();
        long start = System.nanoTime();
        String shown = firstLine(text);
        if (ctx.dryRun()) {
            // A dry run sends only what provably reads; the rest is listed, not run.
            java.util.Optional<String> change = listedInDryRun(ctx, name, text);
            if (change.isPresent()) return new SqlResult(name, List.of(), "not run (dry run: " + change.get() + ")", Duration.ZERO, shown);
        }
        ctx.action(name + ": " + shown);
        try {
            Connection c = connection();
            // Work done after a cancel (clean-up) must not be cancelled by it.
            boolean cancellable = !ctx.cancellation().isCancelled();
            if (params.length == 0) {
                try (Statement st = c.createStatement(); AutoCloseable hook = cancellable ? ctx.cancellation().onCancel(() -> cancel(st)) : () -> { }) {
                    boolean isQuery = st.execute(text);
                    return collect(st, isQuery, start, shown);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(text); AutoCloseable hook = cancellable ? ctx.cancellation().onCancel(() -> cancel(ps)) : () -> { }) {
                for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                boolean isQuery = ps.execute();
                return collect(ps, isQuery, start, shown);
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) closeQuietly();
            if (ctx.cancellation().isCancelled() && "57014".equals(e.getSQLState())) throw new CommandException(name + ": statement cancelled");
            throw new CommandException(name + ": " + describe(e));
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * In a dry run, SQL that may change something is listed as "would run" instead of sent; returns
     * why it was not sent, or empty when it provably only reads (and may run).
     */
    private static java.util.Optional<String> listedInDryRun(CommandContext ctx, String where, String text) {
        java.util.Optional<String> change = dev.cutover.pg.ReadOnlySql.whyNotReadOnly(text);
        if (change.isEmpty()) return change;
        try {
            ctx.mutate(where + ": " + text.strip(), () -> null);
        } catch (Exception e) {
            throw new CommandException(where + ": " + e.getMessage(), e);
        }
        return change;
    }

    /** A single value: {@code old.value('select count(*) from t')}. */
    public Object value(String text, Object... params) {
        SqlResult r = sql(text, params);
        if (r.isEmpty()) return null;
        return r.get(0).values().iterator().next();
    }

    private SqlResult collect(Statement st, boolean isQuery, long start, String shown) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String tag = null;
        boolean q = isQuery;
        while (true) {
            if (q) {
                rows = new ArrayList<>();
                try (ResultSet rs = st.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), convert(rs.getObject(i)));
                        rows.add(row);
                    }
                }
                tag = rows.size() + (rows.size() == 1 ? " row" : " rows");
            } else {
                int count = st.getUpdateCount();
                if (count == -1) break;
                tag = count + " row(s) affected";
            }
            q = st.getMoreResults();
            if (!q && st.getUpdateCount() == -1) break;
        }
        if (tag == null) tag = "done";
        return new SqlResult(name, rows, tag, Duration.ofNanos(System.nanoTime() - start), shown);
    }

    private static Object convert(Object v) throws SQLException {
        if (v instanceof PGobject o) return o.getValue();
        if (v instanceof Array a) return Arrays.asList((Object[]) a.getArray());
        return v;
    }

    private static void cancel(Statement st) {
        try {
            st.cancel();
        } catch (SQLException ignored) {
            // the statement already ended
        }
    }

    /**
     * The JDBC connection, re-opened when the server restarted since: checked before a statement is
     * sent, so no statement is ever silently run twice.
     */
    synchronized Connection connection() throws SQLException {
        if (jdbc != null) {
            // A connection used within the last second is trusted without a ping: inside a write
            // window every round trip counts. An idle one is checked (the server may have restarted).
            if (!jdbc.isClosed() && System.nanoTime() - lastUsed < 1_000_000_000L) {
                lastUsed = System.nanoTime();
                return jdbc;
            }
            try {
                if (!jdbc.isClosed() && jdbc.isValid(2)) {
                    lastUsed = System.nanoTime();
                    return jdbc;
                }
            } catch (SQLException ignored) {
                // fall through to reconnect
            }
            closeQuietly();
        }
        jdbc = readOnlyInDryRun(DriverManager.getConnection(conn.jdbcUrl(), conn.jdbcProperties()));
        jdbc.setAutoCommit(true);
        lastUsed = System.nanoTime();
        return jdbc;
    }

    /** A connection to another database of the same server (for per-database work). */
    public Connection openConnection(String database) throws SQLException {
        ConnInfo other = conn.withDatabase(database);
        return readOnlyInDryRun(DriverManager.getConnection(other.jdbcUrl(), other.jdbcProperties()));
    }

    /**
     * In a dry run every session is read-only, so even a write the statement check missed cannot
     * land. A SET after connecting rather than a startup option: PgBouncer refuses unknown ones.
     */
    private Connection readOnlyInDryRun(Connection c) throws SQLException {
        if (live.get().dryRun()) {
            try (Statement st = c.createStatement()) {
                st.execute("set session characteristics as transaction read only");
                st.execute("set default_transaction_read_only = on");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** Rows of a query run in another database of this server (one short-lived connection). */
    public List<Map<String, Object>> sqlIn(String database, String text, Object... params) {
        CommandContext ctx = live.get();
        if (ctx.dryRun() && listedInDryRun(ctx, name + " (" + database + ")", text).isPresent()) return List.of();
        try (Connection c = openConnection(database); java.sql.PreparedStatement st = c.prepareStatement(text)) {
            for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (java.sql.ResultSet rs = st.executeQuery()) {
                var md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), convert(rs.getObject(i)));
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new CommandException(name + " (" + database + "): " + describe(e), e);
        }
    }

    /** Databases that accept connections (every one but template0, normally). */
    public List<String> databases() {
        List<String> dbs = new ArrayList<>();
        for (Map<String, Object> row : sql("select datname from pg_database where datallowconn order by datname")) {
            dbs.add(String.valueOf(row.get("datname")));
        }
        return dbs;
    }

    /**
     * Every database but template0, and whether it allows connections: a database a no-connections
     * freeze closed is still listed, so a check that covers "every database" cannot skip it unseen.
     * Templates are left out unless they allow connections (template1 does), as before.
     */
    public Map<String, Boolean> databasesWithAccess() {
        Map<String, Boolean> dbs = new LinkedHashMap<>();
        for (Map<String, Object> row : sql("select datname, datallowconn from pg_database where datname <> 'template0' "
                + "and (datallowconn or not datistemplate) order by datname")) {
            dbs.put(String.valueOf(row.get("datname")), Boolean.TRUE.equals(row.get("datallowconn")));
        }
        return dbs;
    }

    String describe(SQLException e) {
        Throwable cause = e.getCause();
        String where = conn.where();
        if (loginTimedOut(e)) {
            return "connect to " + where + " timed out after " + conn.connectTimeoutSeconds()
                    + "s (nothing answered as PostgreSQL there)";
        }
        if (conn.isUnixSocket() && "08001".equals(e.getSQLState()) && !fromServer(e)) {
            return "not running (no server at " + where + " on this machine: " + firstLine(e.getMessage()) + ")";
        }
        if (cause instanceof ConnectException || "08001".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("refused")) {
            return "not running (connection refused at " + where + ")";
        }
        if ("28P01".equals(e.getSQLState())) {
            String origin = conn.origin("password");
            return "password authentication failed for user \"" + conn.user() + "\" at " + where
                    + (conn.password() == null ? " (no password given: url, password:, PGPASSWORD, a service or ~/.pgpass)"
                    : " (password from " + (origin == null ? "the url" : origin) + ")");
        }
        if ("28000".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("Peer authentication failed")) {
            return peerRefused();
        }
        if ("28000".equals(e.getSQLState())) {
            return "not allowed to connect as \"" + conn.user() + "\" at " + where + ": "
                    + firstLine(e.getMessage()) + " (check pg_hba.conf)";
        }
        if (String.valueOf(e.getMessage()).contains("SSL") && !fromServer(e)) {
            String mode = conn.options().get("sslmode");
            return firstLine(e.getMessage()) + " at " + where
                    + (mode == null ? "" : " (sslmode=" + mode + " from " + conn.origin("sslmode") + ")");
        }
        if ("3D000".equals(e.getSQLState())) {
            return firstLine(e.getMessage()) + " at " + where;
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "unknown host '" + conn.host() + "'";
        }
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            var m = p.getServerErrorMessage();
            return m.getSeverity() + ": " + m.getMessage() + " (SQL state " + m.getSQLState() + ")"
                    + (m.getHint() != null ? "; hint: " + m.getHint() : "");
        }
        return firstLine(e.getMessage());
    }

    private static boolean fromServer(SQLException e) {
        return e instanceof PSQLException p && p.getServerErrorMessage() != null;
    }

    /**
     * Peer authentication compares the login role with the operating-system user of the process at
     * the other end of the socket: this JVM's, which only a different way of running can change.
     */
    private String peerRefused() {
        String os = System.getProperty("user.name");
        return "peer authentication at " + conn.where() + " wants the operating-system user to be \"" + conn.user()
                + "\" and cutover runs as \"" + os + "\": run cutover as " + conn.user() + " (sudo -u " + conn.user()
                + " scripts/cutover ...), or connect over TCP with a password (host=127.0.0.1 and ~/.pgpass)";
    }

    /** pgjdbc's loginTimeout ("Connection attempt timed out.") or a socket timeout while logging in. */
    private static boolean loginTimedOut(SQLException e) {
        if (!"08001".equals(e.getSQLState())) return false;
        return e.getCause() instanceof java.net.SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("Connection attempt timed out");
    }

    // ---- probing ----

    /** Asks the server what it is now: version, role, timeline, LSN, data directory. */
    public synchronized ServerStatus probe() {
        try {
            Connection c = connection();
            int num;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int, current_setting('server_version')")) {
                rs.next();
                num = rs.getInt(1);
                String text = rs.getString(2);
                PgVersion v = new PgVersion(num);
                String q = "select pg_is_in_recovery(), case when pg_is_in_recovery() then " + v.replayLsnFunction() + "::text else "
                        + v.currentLsnFunction() + "::text end, case when pg_is_in_recovery() then null else "
                        + v.walFileNameFunction() + "(" + v.currentLsnFunction() + ") end, "
                        + "(select timeline_id from pg_control_checkpoint()), "
                        + "(select setting from pg_settings where name = 'data_directory')";
                boolean recovery;
                String lsn;
                String walfile;
                int tli;
                String dataDir;
                try (ResultSet r2 = st.executeQuery(q)) {
                    r2.next();
                    recovery = r2.getBoolean(1);
                    lsn = r2.getString(2);
                    walfile = r2.getString(3);
                    tli = r2.getInt(4);
                    dataDir = r2.getString(5);
                }
                if (walfile != null && walfile.length() >= 8) {
                    tli = Integer.parseInt(walfile.substring(0, 8), 16);
                } else if (recovery) {
                    tli = receivedTimeline(st, tli);
                }
                lastStatus = new ServerStatus(true, null, num, text, recovery, tli, lsn, dataDir);
            }
        } catch (SQLException e) {
            String why = describe(e);
            if (why.startsWith("not running")) {
                lastStatus = ServerStatus.notRunning(why.substring("not running ".length()).replaceAll("^\\(|\\)$", ""));
            } else {
                throw new CommandException(name + ": " + why);
            }
        }
        return lastStatus;
    }

    private static int receivedTimeline(Statement st, int fallback) {
        try (ResultSet rs = st.executeQuery("select received_tli from pg_stat_wal_receiver")) {
            if (rs.next() && rs.getInt(1) > 0) return rs.getInt(1);
        } catch (SQLException ignored) {
            // older servers or no receiver: the checkpoint's timeline will do
        }
        return fallback;
    }

    /** Finds the binaries when not given: the running postmaster's, Debian's layout, then pg_config. */
    public void detectBindir(PgVersion knownVersion) {
        if (bindir != null) return;
        try {
            String data = pgdata != null ? pgdata : lastStatus != null ? lastStatus.dataDirectory() : null;
            if (data != null && host.exists(data + "/postmaster.pid")) {
                String pid = new String(host.readFile(data + "/postmaster.pid")).lines().findFirst().orElse("").trim();
                ExecResult r = host.exec(ExecRequest.of(List.of("readlink", "-f", "/proc/" + pid + "/exe"), Duration.ofSeconds(10), null, null, null));
                if (r.ok() && !r.stdout().isBlank()) {
                    bindir = r.stdout().strip().replaceFirst("/postgres$", "");
                    return;
                }
            }
            String major = knownVersion != null ? knownVersion.majorText()
                    : data != null && host.exists(data + "/PG_VERSION") ? new String(host.readFile(data + "/PG_VERSION")).trim() : null;
            if (major != null && host.exists("/usr/lib/postgresql/" + major + "/bin/pg_ctl")) {
                bindir = "/usr/lib/postgresql/" + major + "/bin";
                return;
            }
            // pg_config names whichever version is installed last: only trust it when the major matches.
            ExecResult r = host.exec(ExecRequest.of(List.of("pg_config", "--bindir", "--version"), Duration.ofSeconds(10), null, null, null));
            List<String> lines = r.stdout().lines().toList();
            if (r.ok() && lines.size() == 2 && (major == null || lines.get(1).startsWith("PostgreSQL " + major + "."))) {
                bindir = lines.get(0).strip();
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            // no bindir: commands that need one say so
        }
    }

    /** One line: reachable or not, version, role, timeline, LSN, data directory, bindir, host. */
    public String statusLine() {
        ServerStatus s = status();
        StringBuilder sb = new StringBuilder(name).append(": ");
        if (s.reachable()) {
            sb.append("PostgreSQL ").append(s.versionText()).append(" · ").append(s.inRecovery() ? "standby" : "primary")
                    .append(" · timeline ").append(s.timeline()).append(" · LSN ").append(s.lsn());
        } else {
            sb.append("not running (").append(s.problem()).append(")");
        }
        String data = pgdata != null ? pgdata : s.dataDirectory();
        sb.append(" · data ").append(data == null ? "?" : data);
        sb.append(" · bindir ").append(bindir == null ? "?" : bindir);
        sb.append(" · ").append(conn.where()).append(" via ").append(host.name());
        return sb.toString();
    }

    // ---- the host side ----

    /** A shell line on the server's host (as the PostgreSQL owner): exitCode, stdout, stderr. */
    public ExecResult sh(String command) {
        return sh(Map.of(), command);
    }

    public ExecResult sh(Map<String, Object> options, String command) {
        CommandContext ctx = live.get();
        Duration timeout = options.containsKey("timeout") ? dev.cutover.spi.Durations.of(options.get("timeout")) : null;
        boolean quiet = Boolean.TRUE.equals(options.get("quiet"));
        ExecRequest req = ExecRequest.shell(command, timeout, quiet ? null : ctx::out, quiet ? null : l -> ctx.out(OutputKind.ERR, l),
                ctx.cancellation());
        return run(ctx, req, host.name() + "$ " + command);
    }

    /** Runs a program from the server's bindir on its host. */
    public ExecResult tool(String program, List<String> args, Duration timeout) {
        if (bindir == null) throw new CommandException(name + ": no bindir known: connect with bindir: '/usr/lib/postgresql/NN/bin'");
        CommandContext ctx = live.get();
        List<String> argv = new ArrayList<>();
        argv.add(bindir + "/" + program);
        argv.addAll(args);
        ExecRequest req = ExecRequest.of(argv, timeout, ctx::out, l -> ctx.out(OutputKind.ERR, l), ctx.cancellation());
        return run(ctx, req, host.name() + "$ " + req.display());
    }

    private ExecResult run(CommandContext ctx, ExecRequest req, String action) {
        try {
            ExecResult r = ctx.mutate(action, () -> host.exec(req));
            return r != null ? r : ExecResult.notRun(host.name(), req.display());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled: " + req.display());
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server (pg_ctlcluster for Debian clusters, pg_ctl otherwise) and waits until it accepts connections. */
    public Server start() {
        if (probe().reachable()) {
            live.get().info(name + " is already running");
            return this;
        }
        ExecResult r = control("start");
        if (r != null && !r.ok()) throw new CommandException(name + ": start failed: " + r.lastLine());
        probe();
        return this;
    }

    /** Stops the server; mode 'fast' (default), 'smart' or 'immediate'. */
    public Server stop(String mode) {
        ExecResult r = control("stop", mode);
        if (r != null && !r.ok() && !r.stderr().contains("not running") && !r.stdout().contains("not running")) {
            throw new CommandException(name + ": stop failed: " + r.lastLine());
        }
        closeQuietly();
        return this;
    }

    public Server stop() {
        return stop("fast");
    }

    public Server restart() {
        stop("fast");
        return start();
    }

    private ExecResult control(String action, String... mode) {
        String data = pgdata != null ? pgdata : status().dataDirectory();
        if (data == null) throw new CommandException(name + ": no data directory known: connect with pgdata: '/path'");
        java.util.regex.Matcher debian = java.util.regex.Pattern.compile("^/var/lib/postgresql/([0-9.]+)/([^/]+)/?$").matcher(data);
        List<String> argv = new ArrayList<>();
        try {
            if (debian.matches() && host.exists("/usr/bin/pg_ctlcluster") && host.exists("/etc/postgresql/" + debian.group(1) + "/" + debian.group(2))) {
                argv.addAll(List.of("pg_ctlcluster", debian.group(1), debian.group(2), action));
                if (mode.length > 0) argv.addAll(List.of("-m", mode[0]));
            } else {
                if (bindir == null) detectBindir(null);
                if (bindir == null) throw new CommandException(name + ": no bindir known: connect with bindir: '/usr/lib/postgresql/NN/bin'");
                argv.addAll(List.of(bindir + "/pg_ctl", "-D", data, "-w", "-t", "120"));
                if (action.equals("start")) argv.addAll(List.of("-l", data + "/cutover-server.log"));
                if (mode.length > 0) argv.addAll(List.of("-m", mode[0]));
                argv.add(action);
            }
        } catch (IOException e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
        CommandContext ctx = live.get();
        ExecRequest req = ExecRequest.of(argv, Duration.ofMinutes(3), ctx::out, l -> ctx.out(OutputKind.ERR, l), ctx.cancellation());
        return run(ctx, req, host.name() + "$ " + req.display());
    }

    /** The cluster's system identifier: equal on a primary and every standby cloned from it. */
    public String systemIdentifier() {
        Object v = value("select system_identifier::text from pg_control_system()");
        return v == null ? null : String.valueOf(v);
    }

    /** {@code pg_controldata} of the data directory, read on the server's host (works while it is down). */
    public dev.cutover.pg.ControlData controlData() {
        String data = pgdata != null ? pgdata : status().dataDirectory();
        if (data == null) throw new CommandException(name + ": no data directory known: connect with pgdata: '/path'");
        if (bindir == null) detectBindir(null);
        if (bindir == null) throw new CommandException(name + ": no bindir known: connect with bindir:");
        try {
            ExecResult r = host.exec(ExecRequest.of(List.of(bindir + "/pg_controldata", "-D", data), Duration.ofSeconds(30), null, null,
                    live.get().cancellation()).withEnv(Map.of("LC_ALL", "C")));
            if (!r.ok()) throw new CommandException(name + ": pg_controldata failed: " + r.lastLine());
            return dev.cutover.pg.ControlData.parse(r.stdout());
        } catch (IOException e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
    }

    /** Runs a program from the bindir quietly (no streaming), for probes. */
    public ExecResult quietTool(String program, List<String> args, Map<String, String> env, Duration timeout) {
        if (bindir == null) throw new CommandException(name + ": no bindir known: connect with bindir:");
        List<String> argv = new ArrayList<>();
        argv.add(bindir + "/" + program);
        argv.addAll(args);
        try {
            return host.exec(ExecRequest.of(argv, timeout, null, null, live.get().cancellation()).withEnv(env));
        } catch (IOException e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
    }

    /** A shell line on the host, quietly, for probes (df, test -e). */
    public ExecResult quietShell(String script, Duration timeout) {
        try {
            return host.exec(ExecRequest.shell(script, timeout, null, null, live.get().cancellation()));
        } catch (IOException e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
    }

    public String getDataDirectory() {
        return pgdata != null ? pgdata : status().dataDirectory();
    }

    private int cores;

    /** CPU cores of the server's host (nproc), asked once: the default for parallel jobs. 1 when it cannot tell. */
    public synchronized int cores() {
        if (cores == 0) {
            try {
                cores = Math.max(1, Integer.parseInt(quietShell("nproc", Duration.ofSeconds(10)).stdout().strip()));
            } catch (RuntimeException e) {
                cores = 1;
            }
        }
        return cores;
    }

    /** The version its data directory was made by (PG_VERSION), read on its host: works while it is down. */
    public PgVersion dataDirectoryVersion() {
        String file = getDataDirectory() + "/PG_VERSION";
        try {
            return PgVersion.ofDataDirectory(new String(host.readFile(file), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new CommandException(name + ": cannot read " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
    }

    /** Name of the replication slot this server streams through, when replicate set one up. */
    private String replicationSlot;

    public String getReplicationSlot() {
        return replicationSlot;
    }

    public void setReplicationSlot(String slot) {
        this.replicationSlot = slot;
    }

    public Supplier<CommandContext> live() {
        return live;
    }

    /** Settings by name: {@code old.settings('wal_level', 'max_wal_senders')} → map name → value. */
    public Map<String, String> settings(String... names) {
        SqlResult r = sql("select name, setting from pg_settings where name = any(?) order by name", (Object) names);
        Map<String, String> m = new LinkedHashMap<>();
        for (Map<String, Object> row : r) m.put(String.valueOf(row.get("name")), String.valueOf(row.get("setting")));
        return m;
    }

    static String firstLine(String text) {
        if (text == null) return "";
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " …";
    }

    private synchronized void closeQuietly() {
        if (jdbc != null) {
            try {
                jdbc.close();
            } catch (SQLException ignored) {
                // already gone
            }
            jdbc = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    @Override
    public String toString() {
        ServerStatus s = lastStatus;
        String what = s == null ? "not probed" : s.reachable() ? "PostgreSQL " + new PgVersion(s.versionNum()).majorText()
                + (s.inRecovery() ? ", standby" : ", primary") : "not running";
        return "Server " + name + " (" + what + ", " + conn.host() + ":" + conn.port() + ")";
    }
}
