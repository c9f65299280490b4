package dev.cutover.host;

/**
 * Owner and mode for a file being written; null fields keep those of the file being replaced.
 *
 * @param owner "postgres" or "postgres:postgres"
 * @param mode  octal, "600"
 */
public record FileAttributes(String owner, String mode) {
    public static final FileAttributes KEEP = new FileAttributes(null, null);

    public static FileAttributes postgres600() {
        return new FileAttributes("postgres:postgres", "600");
    }
}
