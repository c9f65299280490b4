package dev.cutover.pg;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.Host;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;

/**
 * A server's cluster as its host sees it: pg_ctl (or pg_ctlcluster), pg_controldata, the tools in
 * its bindir, shell lines as the PostgreSQL owner. Works while the server is down.
 */
final class ClusterControl {
    private final String name;
    private final Host host;
    private final Supplier<CommandContext> live;
    /** The data directory, asking the server when it was not given. */
    private final Supplier<String> dataDirectory;
    /** The data directory when known without asking (given, or seen by the last probe), else null. */
    private final Supplier<String> knownDataDirectory;
    private String bindir;
    private int cores;

    ClusterControl(String name, Host host, String bindir, Supplier<CommandContext> live, Supplier<String> dataDirectory,
                   Supplier<String> knownDataDirectory) {
        this.name = name;
        this.host = host;
        this.bindir = bindir;
        this.live = live;
        this.dataDirectory = dataDirectory;
        this.knownDataDirectory = knownDataDirectory;
    }

    String bindir() {
        return bindir;
    }

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

    ExecResult control(String action, String... mode) {
        String data = dataDirectory.get();
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

    /** {@code pg_controldata} of the data directory, read on the server's host (works while it is down). */
    public dev.cutover.pg.ControlData controlData() {
        String data = dataDirectory.get();
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
        String file = dataDirectory.get() + "/PG_VERSION";
        try {
            return PgVersion.ofDataDirectory(new String(host.readFile(file), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new CommandException(name + ": cannot read " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(name + ": cancelled");
        }
    }

    /** Finds the binaries when not given: the running postmaster's, Debian's layout, then pg_config. */
    public void detectBindir(PgVersion knownVersion) {
        if (bindir != null) return;
        try {
            String data = knownDataDirectory.get();
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
}
