package dev.cutover.pg;

import dev.cutover.spi.StandsFor;

/**
 * A result that stands for a server ({@code up = upgrade neu, ...}): commands given it as an
 * argument ({@code verify up}, {@code flipAlias ..., to: up}) receive the server itself.
 */
public interface HasServer extends StandsFor {
    Server getServer();

    @Override
    default Object standsFor() {
        return getServer();
    }
}
