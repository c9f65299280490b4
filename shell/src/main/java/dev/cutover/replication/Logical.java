package dev.cutover.replication;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.pg.Server;

/**
 * Where the built-ins hand over when the link is logical: replicate (mode: 'logical'), lag,
 * promote. Reads the options the logical path adds; the work is in the classes of this package.
 */
public final class Logical {
    /** Options replicate takes in mode: 'logical' (beside from:, to:, timeout:). */
    public static final List<OptionSpec> REPLICATE_OPTIONS = List.of(
            OptionSpec.of("mode", "'logical': logical replication into a running server of the new version (default: streaming)"),
            OptionSpec.of("databases", "logical: the databases to replicate (default: every connectable one)"),
            OptionSpec.of("name", "logical: name of the publication, subscriptions and slots (default cutover)"),
            OptionSpec.of("acknowledge", "logical: risks accepted by name: ['no-key', 'large-objects', 'disk']"),
            OptionSpec.of("replicaIdentityFull", "logical: set REPLICA IDENTITY FULL on tables without a key (on the source)"),
            OptionSpec.of("reverse", "logical: prepare the way back on the target (default true)"),
            OptionSpec.of("diskFloor", "logical: stop the initial copy when the source's WAL disk has fewer free bytes (default 1 GiB)"),
            OptionSpec.of("drop", "logical: remove every publication, subscription, slot and marker table of the link, on both sides"));

    private Logical() {
    }

    public static boolean requested(Invocation call) {
        return "logical".equals(call.string("mode", null));
    }

    public static Object replicate(CommandContext ctx, Invocation call, Server from, Server to) throws Exception {
        String mode = call.string("mode", null);
        if (!"logical".equals(mode)) throw new CommandException("replicate: mode: '" + mode + "' is not known ('logical', or leave it out for streaming)");
        LinkNames names = names(call);
        if (call.flag("drop", false)) return new LogicalCleanup(ctx).run(from, to, names);
        Set<String> ack = new LinkedHashSet<>(call.strings("acknowledge"));
        for (String x : ack) {
            if (!List.of(LogicalPreflight.NO_KEY, LogicalPreflight.LARGE_OBJECTS, LogicalPreflight.DISK).contains(x)) {
                throw new CommandException("replicate: acknowledge: '" + x + "' is not a known risk ('no-key', 'large-objects', 'disk')");
            }
        }
        List<String> dbs = call.value("databases") == null ? null : call.strings("databases");
        long floor = call.has("diskFloor") ? Long.parseLong(call.string("diskFloor", "0")) : LogicalPreflight.MIN_FREE;
        var o = new LogicalReplicate.Options(names, dbs, ack, call.flag("replicaIdentityFull", false), call.flag("reverse", true),
                call.duration("timeout", Duration.ofHours(24)), floor, call.string("primaryHost", null),
                call.has("primaryPort") ? Integer.valueOf(call.string("primaryPort", null)) : null);
        return new LogicalReplicate(ctx).run(from, to, o);
    }

    /** The logical link into {@code to} from {@code from}, or null when there is none (then the caller's streaming path applies). */
    public static LogicalLink link(Server to, Server from, Invocation call) {
        if (!to.isRunning() || to.getInRecovery()) return null;
        return LogicalLink.find(to, from, names(call));
    }

    public static Object lag(CommandContext ctx, LogicalLink link) {
        return LogicalLag.of(ctx, link);
    }

    public static Object promote(CommandContext ctx, Invocation call, LogicalLink link) throws Exception {
        var o = new LogicalCut.Options(call.flag("force", false), call.flag("reverse", true), call.duration("timeout", Duration.ofSeconds(60)),
                call.string("publisherHost", null), call.has("publisherPort") ? Integer.valueOf(call.string("publisherPort", null)) : null,
                largeObjects(call), call.flag("prepare", false));
        return new LogicalCut(ctx).run(link, o);
    }

    /** {@code largeObjects:} null (refuse when there are any), 'copy' (at the cut) or 'skip' (the operator carries them). */
    private static String largeObjects(Invocation call) {
        String v = call.string("largeObjects", null);
        if (v != null && !v.equals("copy") && !v.equals("skip")) {
            throw new CommandException("promote: largeObjects: '" + v + "' is not 'copy' or 'skip'");
        }
        return v;
    }

    private static LinkNames names(Invocation call) {
        return new LinkNames(call.string("name", LinkNames.DEFAULT));
    }
}
