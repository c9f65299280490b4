package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's precedence (string > service > environment > defaults, then the password file), on temp files only. */
class ConninfoResolverTest {
    @TempDir
    Path home;

    private ConnInfo resolve(String spec, Map<String, String> env) {
        return new ConninfoResolver(env, home, List.of(home.resolve("no-socket-here"))).resolve(spec, w -> { });
    }

    private void pgpass(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void noUrlTakesEveryPgVariable() {
        ConnInfo c = resolve(null, Map.of("PGHOST", "db1", "PGPORT", "5433", "PGUSER", "alice", "PGDATABASE", "app",
                "PGPASSWORD", "pw", "PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/etc/ca.crt"));
        assertEquals("postgresql://alice@db1:5433/app", c.toString());
        assertEquals("pw", c.password());
        assertEquals("PGPASSWORD", c.origin("password"));
        assertEquals(Map.of("PGPASSWORD", "pw", "PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/etc/ca.crt"), c.toolEnv());
        assertEquals("verify-full", c.jdbcProperties().getProperty("sslmode"));
        assertEquals("/etc/ca.crt", c.jdbcProperties().getProperty("sslrootcert"));
    }

    @Test
    void keywordValueStringWithQuotesAndEscapes() {
        ConnInfo c = resolve("host=db1 port = 5434 user=bob dbname='my db' password='it\\'s \\\\ secret' sslmode=require", Map.of());
        assertEquals("db1", c.host());
        assertEquals(5434, c.port());
        assertEquals("my db", c.database());
        assertEquals("it's \\ secret", c.password());
        assertEquals("require", c.options().get("sslmode"));
        assertEquals("the connection string", c.origin("password"));
    }

    @Test
    void theStringWinsOverTheServiceWhichWinsOverTheEnvironment() throws Exception {
        Path services = home.resolve("services.conf");
        Files.writeString(services, "# ours\n[prod]\nhost=db-prod\nport=6543\ndbname=shop\nuser=svc\nsslmode=verify-ca\n");
        ConnInfo c = resolve("service=prod user=alice", Map.of("PGSERVICEFILE", services.toString(), "PGHOST", "ignored", "PGDATABASE", "ignored",
                "PGCONNECT_TIMEOUT", "9"));
        assertEquals("postgresql://alice@db-prod:6543/shop", c.toString());
        assertEquals("verify-ca", c.options().get("sslmode"));
        assertEquals(9, c.connectTimeoutSeconds());
        assertEquals("service prod in " + services, c.origin("host"));
        assertFalse(c.jdbcProperties().containsKey("service"), "pgjdbc must not resolve the service a second time");
    }

    @Test
    void pgserviceAndTheHomeServiceFile() throws Exception {
        Files.writeString(home.resolve(".pg_service.conf"), "[other]\nhost=x\n[main]\nhost=db-main\nport=5999\n");
        ConnInfo c = resolve(null, Map.of("PGSERVICE", "main", "PGUSER", "u"));
        assertEquals("postgresql://u@db-main:5999/u", c.toString());
    }

    @Test
    void anUnknownServiceNamesTheFilesLookedIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("service=nope", Map.of("PGSYSCONFDIR", home.toString())));
        assertEquals("service 'nope' (from the connection string) is not defined in " + home.resolve(".pg_service.conf") + " or "
                + home.resolve("pg_service.conf"), e.getMessage());
    }

    @Test
    void aServiceLinePgjdbcCannotReadIsNamed() throws Exception {
        Files.writeString(home.resolve(".pg_service.conf"), "[main]\nhost=db\nkeepalives_idle=30\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("service=main", Map.of()));
        assertTrue(e.getMessage().startsWith("service 'main' in " + home.resolve(".pg_service.conf") + ": Got invalid key: line number [3], value [keepalives_idle=30]"),
                e.getMessage());
    }

    @Test
    void thePasswordComesFromPgpassWhenNotGiven() throws Exception {
        pgpass(home.resolve(".pgpass"), "# host:port:db:user:password\nother:*:*:*:no\ndb1:5433:app:alice:pa\\:ss\n");
        ConnInfo c = resolve("postgresql://alice@db1:5433/app", Map.of());
        assertEquals("pa:ss", c.password());
        assertEquals(home.resolve(".pgpass").toString(), c.origin("password"));

        Path other = home.resolve("elsewhere");
        pgpass(other, "*:*:*:alice:from-pgpassfile\n");
        assertEquals("from-pgpassfile", resolve("host=db1 port=5433 dbname=app user=alice", Map.of("PGPASSFILE", other.toString())).password());
        assertEquals("given", resolve("postgresql://alice:given@db1:5433/app", Map.of()).password(), "a given password wins");
        assertEquals("env", resolve("postgresql://alice@db1:5433/app", Map.of("PGPASSWORD", "env")).password(), "PGPASSWORD before the file");
        assertNull(resolve("postgresql://bob@db1:5433/app", Map.of()).password());
    }

    @Test
    void aWorldReadablePgpassIsUsedWithAWarning() throws Exception {
        Path f = home.resolve(".pgpass");
        Files.writeString(f, "*:*:*:*:pw\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = new ArrayList<>();
        assertEquals("pw", new ConninfoResolver(Map.of(), home).resolve("host=h user=u", warnings::add).password());
        assertEquals(List.of("password file " + f + " has group or world access: psql would ignore it; chmod 0600 " + f), warnings);
    }

    @Test
    void aSocketDirectoryIsReachedThroughJunixsocket() throws Exception {
        pgpass(home.resolve(".pgpass"), "/srv/sock:5432:*:*:by-path\n");
        ConnInfo c = resolve("host=/srv/sock user=postgres", Map.of());
        assertTrue(c.isUnixSocket());
        assertEquals("/srv/sock/.s.PGSQL.5432", c.where());
        assertEquals("by-path", c.password());
        assertEquals("org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg", c.jdbcProperties().getProperty("socketFactory"));
        assertEquals("/srv/sock/.s.PGSQL.5432", c.jdbcProperties().getProperty("socketFactoryArg"));
        assertEquals("postgresql://postgres@:5432/postgres?host=/srv/sock", c.toString());
        assertEquals("/srv/sock", ConnInfo.parse(c.toString()).host(), "the printed form reads back");
        assertEquals("/var/run/postgresql", resolve("postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/postgres", Map.of()).host());
    }

    @Test
    void noHostAnywhereIsTheDefaultSocketWhenOneIsThere() throws Exception {
        Path dir = Files.createDirectory(home.resolve("run"));
        Files.createFile(dir.resolve(".s.PGSQL.5432"));
        ConninfoResolver r = new ConninfoResolver(Map.of(), home, List.of(dir));
        assertEquals(dir.toString(), r.resolve(null, w -> { }).host());
        assertEquals("localhost", r.resolve("port=5999", w -> { }).host(), "no socket for that port: a server not started yet");
    }

    @Test
    void badSettingsAreOneLineNamingTheirSource() {
        assertEquals("sslmode=strict (from PGSSLMODE) is not one of disable, allow, prefer, require, verify-ca, verify-full",
                assertThrows(IllegalArgumentException.class, () -> resolve("host=h", Map.of("PGSSLMODE", "strict"))).getMessage());
        String e = assertThrows(IllegalArgumentException.class, () -> resolve("host=h password='x", Map.of())).getMessage();
        assertEquals("url 'host=h password=******': unterminated quoted value of \"password\" in the connection string", e);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("host=h port=abc", Map.of())).getMessage()
                .endsWith("(port from the connection string): port=abc is not a port number"));
    }
}
