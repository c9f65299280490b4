package dev.cutover.spi;

/**
 * A result that stands for another value ({@code up = upgrade neu, ...} stands for the upgraded
 * server): commands given it as an argument ({@code verify up}, {@code flipAlias ..., to: up})
 * receive that value instead, so a runbook can pass results along as it reads.
 */
public interface StandsFor {
    Object standsFor();
}
