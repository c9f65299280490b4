package dev.cutover.upgrade;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.OutputKind;
import dev.cutover.host.ExecRequest;
import dev.cutover.host.ExecResult;
import dev.cutover.host.FileAttributes;
import dev.cutover.host.Host;
import dev.cutover.pg.InitdbSettings;

/**
 * Creates the new cluster the way the old one was made: initdb with the old cluster's settings,
 * then the operator's configuration carried over into {@code cutover.conf} (included from
 * postgresql.conf, so it stays visible and separate) and the old pg_hba.conf.
 */
public final class NewCluster {
    private NewCluster() {
    }

    /** @return the settings that were not carried (unknown to the new version) */
    public static List<String> create(CommandContext ctx, Host host, Install target, String pgdata, int port, InitdbSettings initdb,
                                      java.util.Map<String, String> config, String hba, String origin) throws Exception {
        List<String> argv = new ArrayList<>(List.of(target.bindir() + "/initdb", "-D", pgdata));
        argv.addAll(initdb.initdbArgs(target.version()));
        ExecRequest req = ExecRequest.of(argv, Duration.ofMinutes(5), ctx::out, l -> ctx.out(OutputKind.ERR, l), ctx.cancellation());
        ExecResult r = ctx.mutate(host.name() + "$ " + req.display(), () -> host.exec(req));
        if (r != null && !r.ok()) throw new CommandException("initdb failed: " + r.lastLine());
        return configure(ctx, host, target, pgdata, port, config, hba, origin);
    }

    /** The operator's settings and pg_hba.conf into an initialised cluster (again, when it was prepared earlier). */
    public static List<String> configure(CommandContext ctx, Host host, Install target, String pgdata, int port,
                                         java.util.Map<String, String> config, String hba, String origin) throws Exception {
        ConfigCarryOver.Result carried = ConfigCarryOver.of(config, target.settings());
        String conf = carried.fileText(origin, port);
        ctx.mutate("write " + pgdata + "/cutover.conf (" + carried.kept().size() + " settings carried over, port " + port + ")", () -> {
            host.writeFileAtomic(pgdata + "/cutover.conf", conf.getBytes(StandardCharsets.UTF_8), FileAttributes.postgres600());
            String main = new String(host.readFile(pgdata + "/postgresql.conf"), StandardCharsets.UTF_8);
            if (!main.contains("include_if_exists = 'cutover.conf'")) {
                main += "\n# The old cluster's settings, carried over by cutover\ninclude_if_exists = 'cutover.conf'\n";
                host.writeFileAtomic(pgdata + "/postgresql.conf", main.getBytes(StandardCharsets.UTF_8), FileAttributes.postgres600());
            }
            return null;
        });
        if (!carried.dropped().isEmpty()) ctx.warn("not carried over (unknown to " + target.version().majorText() + "): " + String.join(", ", carried.dropped()));
        if (hba != null) {
            ctx.mutate("write " + pgdata + "/pg_hba.conf (the old cluster's)", () -> {
                host.writeFileAtomic(pgdata + "/pg_hba.conf", hba.getBytes(StandardCharsets.UTF_8), FileAttributes.postgres600());
                return null;
            });
        }
        return carried.dropped();
    }

    /** What configure() would write, hashed: equal means the files already hold it. */
    public static String fingerprint(Install target, int port, java.util.Map<String, String> config, String hba, String origin) {
        String text = ConfigCarryOver.of(config, target.settings()).fileText(origin, port) + "\u0000" + (hba == null ? "" : hba);
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
