package dev.cutover.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.cutover.lab.Lab;

/** Lab plumbing for logical links: wal_level = logical on the old primary, and an empty PostgreSQL 15 primary as the target. */
public final class LogicalLab {
    static final String PG15 = "/usr/lib/postgresql/15/bin";

    private LogicalLab() {
    }

    /** Sets wal_level on the lab's old primary and restarts it (the setting needs a restart). */
    public static void oldWalLevel(Lab lab, String level) throws Exception {
        String bin = lab.param("old_bindir");
        String data = lab.param("old_pgdata");
        String current = String.valueOf(lab.query(Lab.PORT_BASE, "postgres", "show wal_level").get(0).get("wal_level"));
        if (current.equals(level)) return;
        lab.query(Lab.PORT_BASE, "postgres", "alter system set wal_level = " + level);
        String out = Lab.shell("runuser -u postgres -- " + bin + "/pg_ctl -D " + data + " -m fast -w -t 60 -l " + Lab.DIR + "/logs/old13.log restart 2>&1"
                + " && head -1 " + data + "/postmaster.pid > " + Lab.DIR + "/pids/old13.pid");
        if (!String.valueOf(lab.query(Lab.PORT_BASE, "postgres", "show wal_level").get(0).get("wal_level")).equals(level)) {
            throw new IllegalStateException("old did not restart with wal_level " + level + ":\n" + out);
        }
    }

    /** A fresh, running, empty PostgreSQL 15 at new15_pgdata on new15_port (wal_level replica: replicate sets logical for the way back). */
    public static void newEmpty15(Lab lab) throws Exception {
        String data = lab.param("new15_pgdata");
        int port = Integer.parseInt(lab.param("new15_port"));
        Lab.shell("runuser -u postgres -- " + PG15 + "/pg_ctl -D " + data + " -m immediate -w stop >/dev/null 2>&1; rm -rf " + data);
        String init = Lab.shell("runuser -u postgres -- " + PG15 + "/initdb -D " + data + " -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust 2>&1");
        Path conf = Path.of(data, "postgresql.conf");
        if (!Files.exists(conf)) throw new IllegalStateException("initdb failed:\n" + init);
        Files.writeString(conf, Files.readString(conf) + "\n# logical-replication test target\nport = " + port + "\nlisten_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + Lab.DIR + "/run'\njit = off\nmax_connections = 60\nshared_buffers = 64MB\n");
        String start = Lab.shell("runuser -u postgres -- " + PG15 + "/pg_ctl -D " + data + " -l " + data + "/cutover-server.log -w -t 60 start 2>&1");
        lab.query(port, "postgres", "select 1");
        if (start.contains("failed")) throw new IllegalStateException(start);
    }
}
