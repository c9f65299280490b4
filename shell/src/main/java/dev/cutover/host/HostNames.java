package dev.cutover.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import dev.cutover.spi.CommandContext;

/**
 * A host as a runbook writes it ({@code 'local'}, {@code 'user@host[:port]'}, an alias of
 * ~/.ssh/config) turned into a {@link Host} the way ssh(1) would reach it: HostName, User, Port,
 * keys, ProxyJump and known_hosts from the config, keys from ssh-agent, a key file's passphrase
 * asked in the shell. {@code connect ssh:}, {@code freeze run:} and {@code flipAlias hosts:} all
 * resolve hosts here, so an alias that works in one works in all.
 */
public final class HostNames {
    private HostNames() {
    }

    /** What {@code connect} may override of the config: explicit options win over the file. */
    public record Overrides(Path knownHosts, Path key, boolean acceptNewHostKey, Duration timeout) {
        public static final Overrides NONE = new Overrides(null, null, false, null);
    }

    /** {@code 'local'} is this machine (as the operator), anything else an SSH host. */
    public static Host resolve(CommandContext ctx, String written) {
        if (written.equals("local")) return LocalHost.INSTANCE;
        return ssh(ctx, written, Overrides.NONE);
    }

    /** @throws IllegalArgumentException when the target or the ssh config cannot be read (the message says which) */
    public static SshHost ssh(CommandContext ctx, String written, Overrides o) {
        OperatorEnvironment env = ctx.session(OperatorEnvironment.class, OperatorEnvironment::system);
        Path sshDir = env.home().resolve(".ssh");
        SshRoute route = new SshRouter(SshConfig.load(sshDir), System.getProperty("user.name")).route(written);
        Duration timeout = o.timeout() != null ? o.timeout() : SshOptions.timeoutFrom(env.get(SshOptions.TIMEOUT_ENV));
        SshHop destination = route.destination();
        if (o.knownHosts() != null) destination = destination.withKnownHosts(o.knownHosts());
        if (o.key() != null) destination = destination.withFirstIdentity(o.key());
        route = route.withDestination(destination);
        // The connection may be re-opened in a later step: ask through whichever step is running then.
        Supplier<CommandContext> live = ctx.live();
        SshOptions options = new SshOptions(destination.knownHosts(), o.acceptNewHostKey(), o.key(), timeout, sshDir,
                env.get("SSH_AUTH_SOCK"), keyFile -> {
                    String answer = live.get().askSecret("passphrase", "of the ssh key " + keyFile);
                    return answer == null ? null : answer.toCharArray();
                });
        return new SshHost(route, options, ctx.session(SshConnections.class, SshConnections::new));
    }
}
