package dev.cutover.spi;

/** A named option a command accepts. */
public record OptionSpec(String name, String description) {
    public static OptionSpec of(String name, String description) {
        return new OptionSpec(name, description);
    }
}
