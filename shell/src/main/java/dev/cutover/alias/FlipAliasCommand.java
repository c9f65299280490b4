package dev.cutover.alias;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.host.FileAttributes;
import dev.cutover.host.Host;
import dev.cutover.host.HostNames;
import dev.cutover.host.LocalHost;
import dev.cutover.pg.Server;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.PgBouncerAdmin;

/**
 * Points applications at the new server. Hosts files: {@code flipAlias 'db.internal', to: neu,
 * hosts: ['root@app1', 'root@app2'], file: '/etc/hosts'} rewrites the alias on every app host
 * atomically (backup beside it), verifies it resolves, and rolls every host back when one fails.
 * PgBouncer: {@code flipAlias 'appdb', to: neu, pgbouncer: 'postgresql://...', config: '/path'}
 * rewrites the database entry, RELOADs and checks SHOW DATABASES; it works while paused, so RESUME
 * sends the first query to the new server.
 */
public final class FlipAliasCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("flipAlias",
            "point an alias (hosts files or a PgBouncer entry) at another server; verify; roll back on failure",
            "flipAlias 'db.internal', to: neu, hosts: ['root@app1', 'root@app2'], file: '/etc/hosts'",
            OptionSpec.of("to", "the server applications should reach"),
            OptionSpec.of("hosts", "app hosts whose hosts file names the alias: ['root@app1', ...] ('local' = this machine)"),
            OptionSpec.of("file", "the hosts file (default /etc/hosts)"),
            OptionSpec.of("address", "the address to point at (default: the server's host)"),
            OptionSpec.of("partial", "keep the hosts that flipped when others fail (default false: roll all back)"),
            OptionSpec.of("pgbouncer", "PgBouncer admin url (flip a [databases] entry)"),
            OptionSpec.of("config", "pgbouncer.ini path (default: from SHOW CONFIG)"),
            OptionSpec.of("ssh", "user@host of PgBouncer's machine (default: this machine)"),
            OptionSpec.of("dbname", "database name on the new server (default: keep)"),
            OptionSpec.of("back", "restore what the last flip of this alias changed"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    /** One file changed by a flip: where, its content before and after. */
    record Change(String where, Host host, String path, String before, String after, String oldTarget, String newTarget) {
    }

    /** What a flip changed; {@code undo()} puts it back. */
    public static final class Flip implements CommandResult {
        private final String alias;
        private final List<Change> changes;
        private final ConnInfo pgbouncer;
        private final Supplier<CommandContext> live;
        private volatile boolean undone;

        Flip(String alias, List<Change> changes, ConnInfo pgbouncer, Supplier<CommandContext> live) {
            this.alias = alias;
            this.changes = changes;
            this.pgbouncer = pgbouncer;
            this.live = live;
        }

        public String getAlias() {
            return alias;
        }

        /** Restores every file this flip changed (and RELOADs PgBouncer). */
        public Flip undo() {
            if (undone) return this;
            CommandContext ctx = live.get();
            for (Change c : changes) {
                try {
                    ctx.mutate("restore " + c.where() + ":" + c.path(), () -> {
                        c.host().writeFileAtomic(c.path(), c.before().getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
                        return null;
                    });
                } catch (Exception e) {
                    throw new CommandException("flipAlias undo: " + c.where() + ": " + e.getMessage());
                }
            }
            if (pgbouncer != null) reload(ctx, pgbouncer);
            undone = true;
            ctx.info("restored " + alias + " on " + changes.size() + " place(s)");
            return this;
        }

        @Override
        public String summary() {
            return "flipped " + alias + " on " + changes.size() + " place(s)" + (undone ? " (undone)" : "");
        }

        @Override
        public List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Change c : changes) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("where", c.where());
                r.put("file", c.path());
                r.put("old", c.oldTarget());
                r.put("new", c.newTarget());
                rows.add(r);
            }
            return rows;
        }

        @Override
        public List<String> actions() {
            return changes.stream().map(c -> "rewrote " + c.where() + ":" + c.path()).toList();
        }
    }

    /** The session's flips, for back: true. */
    public static final class Flips {
        final List<Flip> all = new CopyOnWriteArrayList<>();
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        String alias = call.requireString(0, "the alias: flipAlias 'db.internal', to: neu, hosts: [...]");
        Flips flips = ctx.session(Flips.class, Flips::new);
        if (call.flag("back", false)) {
            for (int i = flips.all.size() - 1; i >= 0; i--) {
                Flip f = flips.all.get(i);
                if (f.getAlias().equals(alias) && !f.undone) return f.undo();
            }
            throw new CommandException("flipAlias " + alias + ", back: true: this session has not flipped " + alias);
        }
        Server to = call.required("to", Server.class, "a connected server (x = connect 'x', url: ...)");
        Flip flip = call.has("pgbouncer") ? pgbouncer(ctx, call, alias, to) : hosts(ctx, call, alias, to);
        if (flip != null) flips.all.add(flip);
        return flip;
    }

    // ---- hosts files ----

    private Flip hosts(CommandContext ctx, Invocation call, String alias, Server to) throws Exception {
        if (!call.has("hosts")) throw new CommandException("flipAlias: say where: hosts: ['root@app1', ...] or pgbouncer: url");
        String defaultFile = call.string("file", "/etc/hosts");
        // hosts: ['root@app1', ...] shares file:; hosts: ['root@app1': '/etc/hosts', ...] names each host's file.
        Map<String, String> targets = new LinkedHashMap<>();
        if (call.value("hosts") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> targets.put(String.valueOf(k), v == null ? defaultFile : String.valueOf(v)));
        } else {
            for (String t : call.strings("hosts")) targets.put(t, defaultFile);
        }
        String address = call.string("address", AliasLookup.defaultAddress(to));
        boolean partial = call.flag("partial", false);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(java.time.Instant.now());
        List<Change> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, String> entry : targets.entrySet()) {
            String target = entry.getKey();
            String file = entry.getValue();
            try {
                Host host = HostNames.resolve(ctx, target);
                String before = new String(host.readFile(file), StandardCharsets.UTF_8);
                String after = HostsFile.point(before, alias, address);
                String old = HostsFile.resolve(before, alias);
                if (ctx.dryRun()) {
                    ctx.action("would run: rewrite " + target + ":" + file + ": " + alias + " " + old + " -> " + address);
                    continue;
                }
                ctx.action(target + ": backup " + file + ".cutover-" + stamp + ".bak; rewrite " + alias + " " + old + " -> " + address);
                host.writeFileAtomic(file + ".cutover-" + stamp + ".bak", before.getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
                host.writeFileAtomic(file, after.getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
                done.add(new Change(target, host, file, before, after, old, address));
                String resolved = AliasLookup.resolve(host, file, alias);
                if (!address.equals(resolved)) throw new CommandException(alias + " resolves to " + resolved + " after the rewrite, not " + address);
                ctx.info(target + ": " + alias + " " + old + " → " + address + " (resolves)");
            } catch (Exception e) {
                failed.add(target + " (" + oneLine(e.getMessage()) + ")");
            }
        }
        if (!failed.isEmpty() && !partial) {
            for (Change c : done) {
                try {
                    c.host().writeFileAtomic(c.path(), c.before().getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
                    ctx.warn("rolled back " + c.where() + ":" + c.path());
                } catch (Exception e) {
                    ctx.warn("could not roll back " + c.where() + ": " + e.getMessage() + " — restore it from " + c.path() + ".cutover-" + stamp + ".bak");
                }
            }
            throw new CommandException("flipAlias " + alias + ": failed on " + String.join(", ", failed) + "; every host was rolled back"
                    + " to its old address (pass partial: true to keep the hosts that flipped)");
        }
        if (!failed.isEmpty()) ctx.warn("flipAlias " + alias + ": failed on " + String.join(", ", failed) + "; kept the others (partial: true)");
        return ctx.dryRun() ? null : new Flip(alias, done, null, ctx.live());
    }

    /** getent where the file is the system's, otherwise the file as written. */

    // ---- PgBouncer ----

    private Flip pgbouncer(CommandContext ctx, Invocation call, String database, Server to) throws Exception {
        ConnInfo admin = ConnInfo.parse(call.string("pgbouncer", null));
        if (admin.password() != null) ctx.addSecret(admin.password());
        Host host = call.has("ssh") ? HostNames.resolve(ctx, call.string("ssh", null)) : LocalHost.forPostgres();
        // One console connection for the whole flip: inside the write window every login counts.
        try (PgBouncerAdmin console = PgBouncerAdmin.open(admin)) {
            String config = call.string("config", null);
            if (config == null) config = console.config("conffile");
            if (config == null || config.isBlank()) throw new CommandException("flipAlias: PgBouncer does not say its config file: pass config: '/path/pgbouncer.ini'");
            String before = new String(host.readFile(config), StandardCharsets.UTF_8);
            Map<String, String> old = PgBouncerIni.entry(before, database);
            String address = call.string("address", to.getConnInfo().host());
            String after = PgBouncerIni.point(before, database, address, to.getPort(), call.string("dbname", null));
            String oldTarget = old == null ? "(absent)" : old.get("host") + ":" + old.get("port");
            String newTarget = address + ":" + to.getPort();
            if (ctx.dryRun()) {
                ctx.action("would run: rewrite " + config + ": " + database + " " + oldTarget + " -> " + newTarget + "; RELOAD");
                return null;
            }
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(java.time.Instant.now());
            String backup = Path.of(config).getParent().resolve(Path.of(config).getFileName() + ".cutover-" + stamp + ".bak").toString();
            ctx.action(host.name() + ": backup " + backup + "; rewrite " + database + " " + oldTarget + " -> " + newTarget);
            host.writeFileAtomic(backup, before.getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
            host.writeFileAtomic(config, after.getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
            Change change = new Change(host.name(), host, config, before, after, oldTarget, newTarget);
            try {
                ctx.action("pgbouncer " + admin.host() + ":" + admin.port() + ": RELOAD");
                console.command("RELOAD");
                Map<String, Object> row = console.database(database);
                String shown = row == null ? "(absent)" : row.get("host") + ":" + row.get("port");
                if (!newTarget.equals(shown)) throw new CommandException("SHOW DATABASES shows " + database + " at " + shown + " after RELOAD, not " + newTarget);
            } catch (Exception e) {
                host.writeFileAtomic(config, before.getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
                reload(ctx, admin);
                throw new CommandException("flipAlias " + database + ": " + oneLine(e.getMessage()) + "; the config was restored and reloaded");
            }
            ctx.info("pgbouncer " + admin.host() + ":" + admin.port() + ": " + database + " " + oldTarget + " → " + newTarget + " (SHOW DATABASES agrees)");
            return new Flip(database, List.of(change), admin, ctx.live());
        }
    }

    static void reload(CommandContext ctx, ConnInfo admin) {
        try (PgBouncerAdmin console = PgBouncerAdmin.open(admin)) {
            ctx.action("pgbouncer " + admin.host() + ":" + admin.port() + ": RELOAD");
            console.command("RELOAD");
        } catch (java.sql.SQLException e) {
            throw new CommandException("pgbouncer RELOAD failed: " + e.getMessage());
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
