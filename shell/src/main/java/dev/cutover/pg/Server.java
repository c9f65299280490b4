package dev.cutover.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;

/**
 * A PostgreSQL server as the runbook sees it: SQL over JDBC plus the host it lives on, its data
 * directory and binaries. Kept in a Groovy variable across steps; whatever it does is written to
 * the step that is running at the time. A thin facade: SQL goes through its {@link SqlSession},
 * pg_ctl and the tools through {@link ClusterControl}, so each job has one home.
 */
public final class Server implements AutoCloseable {
    private final String name;
    private final ConnInfo conn;
    private final Host host;
    private final String pgdata;
    private final Supplier<CommandContext> live;
    private final SqlSession session;
    private final ClusterControl cluster;
    private volatile ServerStatus lastStatus;

    public Server(String name, ConnInfo conn, Host host, String pgdata, String bindir, Supplier<CommandContext> live) {
        this(name, conn, host, pgdata, bindir, live, new JdbcSession(name, conn, live));
    }

    /** A server whose SQL goes through {@code session}: the real one, or a fake in a unit test of a command. */
    public Server(String name, ConnInfo conn, Host host, String pgdata, String bindir, Supplier<CommandContext> live, SqlSession session) {
        this.name = name;
        this.conn = conn;
        this.host = host;
        this.pgdata = pgdata;
        this.live = live;
        this.session = session;
        this.cluster = new ClusterControl(name, host, bindir, live, this::getDataDirectory,
                () -> pgdata != null ? pgdata : lastStatus != null ? lastStatus.dataDirectory() : null);
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
        return cluster.bindir();
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

    // ---- SQL (through the session) ----

    /** Runs SQL (several statements allowed without params); bind parameters as {@code ?}, never concatenation. */
    public SqlResult sql(String text, Object... params) {
        return session.sql(text, params);
    }

    /** A single value: {@code old.value('select count(*) from t')}. */
    public Object value(String text, Object... params) {
        SqlResult r = sql(text, params);
        if (r.isEmpty()) return null;
        return r.get(0).values().iterator().next();
    }

    /** A connection to another database of the same server (for per-database work). */
    public Connection openConnection(String database) throws SQLException {
        return session.openConnection(database);
    }

    /** Rows of a query run in another database of this server (one short-lived connection). */
    public List<Map<String, Object>> sqlIn(String database, String text, Object... params) {
        return session.sqlIn(database, text, params);
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

    /** Asks the server what it is now: version, role, timeline, LSN, data directory. */
    public ServerStatus probe() {
        ServerStatus s = session.probe();
        lastStatus = s;
        return s;
    }

    /** Finds the binaries when not given: the running postmaster's, Debian's layout, then pg_config. */
    public void detectBindir(PgVersion knownVersion) {
        cluster.detectBindir(knownVersion);
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
        sb.append(" · bindir ").append(getBindir() == null ? "?" : getBindir());
        sb.append(" · ").append(conn.where()).append(" via ").append(host.name());
        return sb.toString();
    }

    // ---- the host side (through the cluster control) ----

    /** A shell line on the server's host (as the PostgreSQL owner): exitCode, stdout, stderr. */
    public ExecResult sh(String command) {
        return cluster.sh(command);
    }

    public ExecResult sh(Map<String, Object> options, String command) {
        return cluster.sh(options, command);
    }

    /** Runs a program from the server's bindir on its host. */
    public ExecResult tool(String program, List<String> args, Duration timeout) {
        return cluster.tool(program, args, timeout);
    }

    /** Runs a program from the bindir quietly (no streaming), for probes. */
    public ExecResult quietTool(String program, List<String> args, Map<String, String> env, Duration timeout) {
        return cluster.quietTool(program, args, env, timeout);
    }

    /** A shell line on the host, quietly, for probes (df, test -e). */
    public ExecResult quietShell(String script, Duration timeout) {
        return cluster.quietShell(script, timeout);
    }

    /** {@code pg_controldata} of the data directory, read on the server's host (works while it is down). */
    public ControlData controlData() {
        return cluster.controlData();
    }

    /** CPU cores of the server's host (nproc), asked once: the default for parallel jobs. 1 when it cannot tell. */
    public int cores() {
        return cluster.cores();
    }

    /** The version its data directory was made by (PG_VERSION), read on its host: works while it is down. */
    public PgVersion dataDirectoryVersion() {
        return cluster.dataDirectoryVersion();
    }

    /** The cluster's system identifier: equal on a primary and every standby cloned from it. */
    public String systemIdentifier() {
        Object v = value("select system_identifier::text from pg_control_system()");
        return v == null ? null : String.valueOf(v);
    }

    /** Starts the server (pg_ctlcluster for Debian clusters, pg_ctl otherwise) and waits until it accepts connections. */
    public Server start() {
        if (probe().reachable()) {
            live.get().info(name + " is already running");
            return this;
        }
        ExecResult r = cluster.control("start");
        if (r != null && !r.ok()) throw new CommandException(name + ": start failed: " + r.lastLine());
        probe();
        return this;
    }
    /** Stops the server; mode 'fast' (default), 'smart' or 'immediate'. */
    public Server stop(String mode) {
        ExecResult r = cluster.control("stop", mode);
        if (r != null && !r.ok() && !r.stderr().contains("not running") && !r.stdout().contains("not running")) {
            throw new CommandException(name + ": stop failed: " + r.lastLine());
        }
        session.close();
        return this;
    }
    public Server stop() {
        return stop("fast");
    }
    public Server restart() {
        stop("fast");
        return start();
    }

    public String getDataDirectory() {
        return pgdata != null ? pgdata : status().dataDirectory();
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

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        ServerStatus s = lastStatus;
        String what = s == null ? "not probed" : s.reachable() ? "PostgreSQL " + new PgVersion(s.versionNum()).majorText()
                + (s.inRecovery() ? ", standby" : ", primary") : "not running";
        return "Server " + name + " (" + what + ", " + conn.host() + ":" + conn.port() + ")";
    }
}
