package dev.cutover.host;

import java.util.List;

/**
 * How to reach a host over SSH: through zero or more jump hosts (ProxyJump), each a login of its
 * own whose connection carries the next one, to the destination.
 */
public record SshRoute(List<SshHop> jumps, SshHop destination) {
    public SshRoute {
        jumps = List.copyOf(jumps);
    }

    /** A host reached directly, with what {@code options} say (no ~/.ssh/config). */
    public static SshRoute direct(SshTarget target, SshOptions options) {
        return new SshRoute(List.of(), new SshHop(target, options.identity() == null ? List.of() : List.of(options.identity()), false,
                options.knownHosts()));
    }

    public SshRoute withDestination(SshHop hop) {
        return new SshRoute(jumps, hop);
    }

    /** {@code postgres@db1:2222 via bastion, 10.0.0.9}: the way a message names it. */
    @Override
    public String toString() {
        if (jumps.isEmpty()) return destination.target().toString();
        return destination.target() + " via " + String.join(", ", jumps.stream().map(j -> j.target().toString()).toList());
    }
}
