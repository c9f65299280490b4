package dev.cutover.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandException;

/** A server's WAL directory (pg_wal, pg_xlog before 10): its files, through SQL where allowed, else through the host. */
public final class WalDir {
    private WalDir() {
    }

    public static String path(Server s, int versionNum) {
        return s.getDataDirectory() + "/" + (versionNum >= 100_000 ? "pg_wal" : "pg_xlog");
    }

    public static List<String> list(Server s, boolean running, int versionNum) {
        if (running && versionNum >= 100_000) {
            try {
                List<String> names = new ArrayList<>();
                for (Map<String, Object> r : s.sql("select name from pg_ls_waldir() order by name")) names.add(String.valueOf(r.get("name")));
                return names;
            } catch (CommandException e) {
                // no pg_monitor rights: fall back to the host
            }
        }
        try {
            return s.getHost().list(path(s, versionNum));
        } catch (Exception e) {
            throw new CommandException(s.getName() + ": cannot list " + path(s, versionNum) + ": " + e.getMessage());
        }
    }
}
