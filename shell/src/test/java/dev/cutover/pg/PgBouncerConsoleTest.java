package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * The PgBouncer console as operators configure it. The lab's PgBouncer ignores extra_float_digits
 * (what JDBC guides tell people to add); a stock pgbouncer.ini does not, and pgjdbc always sends it
 * at startup. Freeze (PAUSE/RESUME) and flipAlias (SHOW CONFIG, RELOAD, SHOW DATABASES) must work on
 * both. psql, which sends no such parameter, is the independent observer.
 */
@LabTest
class PgBouncerConsoleTest {
    private static final String PSQL = "/usr/lib/postgresql/15/bin/psql";
    private final Lab lab;
    private final int stockPort = Lab.BOUNCER_PORT + 1;
    private final Path stockDir = Path.of(Lab.DIR, "stock-pgbouncer");
    private Shell shell;

    PgBouncerConsoleTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void startStockPgBouncer() throws Exception {
        stopStockPgBouncer();
        Files.createDirectories(stockDir);
        // What an operator has after apt-get install pgbouncer and adding the database: no
        // ignore_startup_parameters. Transaction pooling because PAUSE needs it (freeze refuses session).
        Files.writeString(stockDir.resolve("pgbouncer.ini"), """
                [databases]
                appdb = host=127.0.0.1 port=%d dbname=appdb

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir = %s
                auth_type = trust
                auth_file = %s/userlist.txt
                admin_users = postgres
                pool_mode = transaction
                logfile = %s/pgbouncer.log
                pidfile = %s/pgbouncer.pid
                """.formatted(lab.oldPort(), stockPort, stockDir, stockDir, stockDir, stockDir));
        Files.writeString(stockDir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
        Lab.shell("chown -R postgres:postgres '" + stockDir + "' && runuser -u postgres -- pgbouncer -d -q '" + stockDir + "/pgbouncer.ini'");
        for (int i = 0; i < 50 && !Files.exists(stockDir.resolve("pgbouncer.pid")); i++) Thread.sleep(100);
        assertTrue(Files.exists(stockDir.resolve("pgbouncer.pid")), "stock PgBouncer did not start: " + Lab.shell("cat '" + stockDir + "/pgbouncer.log'"));
        shell = new Shell(lab.params());
    }

    @AfterEach
    void stopStockPgBouncer() throws Exception {
        if (shell != null) shell.close();
        Path pid = stockDir.resolve("pgbouncer.pid");
        if (Files.exists(pid)) {
            Lab.shell("kill " + Files.readString(pid).strip() + "; for i in $(seq 30); do [ -e '" + pid + "' ] || break; sleep 0.1; done");
        }
    }

    private String console(int port) {
        return "postgresql://postgres@127.0.0.1:" + port + "/pgbouncer";
    }

    /** appdb's row of SHOW DATABASES, as psql sees it: host|port|paused. */
    private String appdbRow(int port) throws Exception {
        return Lab.shell(PSQL + " -X -A -F'|' -h 127.0.0.1 -p " + port + " -U postgres pgbouncer -c 'SHOW DATABASES'"
                + " | awk -F'|' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }"
                + " $1 == \"appdb\" { print $col[\"host\"] \"|\" $col[\"port\"] \"|\" $col[\"paused\"] }'").strip();
    }

    @Test
    void freezeAndFlipAliasWorkThroughAStockPgBouncer() throws Exception {
        assertFalse(Files.readString(stockDir.resolve("pgbouncer.ini")).contains("ignore_startup_parameters"));
        String url = console(stockPort);
        shell.eval("f = freeze pgbouncer: '" + url + "', databases: ['appdb'], timeout: 5");
        assertEquals("127.0.0.1|" + lab.oldPort() + "|1", appdbRow(stockPort), "paused");
        shell.eval("unfreeze f");
        assertEquals("127.0.0.1|" + lab.oldPort() + "|0", appdbRow(stockPort), "resumed");

        // flipAlias finds the config from SHOW CONFIG, rewrites it, RELOADs and reads SHOW DATABASES back
        shell.eval("o2 = connect 'o2', url: 'postgresql://postgres@127.0.0.2:" + lab.oldPort() + "/postgres'\n"
                + "flipAlias 'appdb', to: o2, pgbouncer: '" + url + "'");
        assertEquals("127.0.0.2|" + lab.oldPort() + "|0", appdbRow(stockPort), "flipped");
        shell.eval("flipAlias 'appdb', back: true");
        assertEquals("127.0.0.1|" + lab.oldPort() + "|0", appdbRow(stockPort), "flipped back");
    }

    @Test
    void freezeWorksThroughTheLabsPgBouncerThatIgnoresExtraFloatDigits() throws Exception {
        assertTrue(Files.readString(Path.of(lab.param("pgbouncer_config"))).contains("ignore_startup_parameters = extra_float_digits"));
        shell.eval("f = freeze pgbouncer: params.pgbouncer_url, databases: ['appdb'], timeout: 5");
        assertEquals("1", appdbRow(Lab.BOUNCER_PORT).split("\\|")[2], "paused");
        shell.eval("unfreeze f");
        assertEquals("0", appdbRow(Lab.BOUNCER_PORT).split("\\|")[2], "resumed");
    }

    @Test
    void aConsoleThatRefusesAStartupParameterNamesTheSettingToAdd() {
        assertEquals("PgBouncer 127.0.0.1:6432 refused the console connection: unsupported startup parameter extra_float_digits: "
                + "add ignore_startup_parameters = extra_float_digits to [pgbouncer] in its pgbouncer.ini (/etc/pgbouncer/pgbouncer.ini) and RELOAD",
                PgBouncerAdmin.explainRefusal("FATAL: unsupported startup parameter: extra_float_digits", "127.0.0.1", 6432));
        assertNull(PgBouncerAdmin.explainRefusal("FATAL: no such user: bob", "127.0.0.1", 6432));
    }

    @Test
    void theStartupPacketLosesOnlyWhatTheConsoleRefusesWhateverTheWriteSizes() throws Exception {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("user", "postgres");
        sent.put("database", "pgbouncer");
        sent.put("extra_float_digits", "3");
        sent.put("application_name", "cutover");
        Map<String, String> expected = new LinkedHashMap<>(sent);
        expected.remove("extra_float_digits");
        byte[] sslRequest = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
        byte[] after = "Qselect 1".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream filter = new StartupParameterFilter(out, ConsoleSocketFactory.KEPT)) {
            byte[] all = concat(sslRequest, startup(sent), after);
            for (int i = 0; i < all.length; i += 3) filter.write(all, i, Math.min(3, all.length - i)); // pgjdbc may flush in any pieces
        }
        assertArrayEquals(concat(sslRequest, startup(expected), after), out.toByteArray());

        // once TLS starts, nothing is touched, even bytes that would parse as a startup packet
        ByteArrayOutputStream tls = new ByteArrayOutputStream();
        byte[] clientHello = concat(new byte[] {0x16, 0x03, 0x01, 0x00, 0x30, 0x01}, startup(sent));
        try (OutputStream filter = new StartupParameterFilter(tls, ConsoleSocketFactory.KEPT)) {
            filter.write(concat(sslRequest, clientHello));
        }
        assertArrayEquals(concat(sslRequest, clientHello), tls.toByteArray());
    }

    /** A protocol 3.0 startup packet, as a client writes it. */
    private static byte[] startup(Map<String, String> params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        params.forEach((k, v) -> {
            body.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        });
        body.write(0);
        return concat(ByteBuffer.allocate(8).putInt(8 + body.size()).putInt(3 << 16).array(), body.toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }
}
