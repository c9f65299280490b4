package dev.cutover.host;

/**
 * A result that stands for a server ({@code up = upgrade neu, ...}): commands given it as an
 * argument ({@code verify up}, {@code flipAlias ..., to: up}) receive the server itself.
 */
public interface HasServer {
    Server getServer();
}
