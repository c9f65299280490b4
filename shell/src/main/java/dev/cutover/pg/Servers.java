package dev.cutover.pg;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The servers a session connected, closed when the shell ends. */
public final class Servers implements AutoCloseable {
    private final List<Server> servers = new CopyOnWriteArrayList<>();

    public void add(Server s) {
        servers.add(s);
    }

    public List<Server> all() {
        return List.copyOf(servers);
    }

    @Override
    public void close() {
        servers.forEach(Server::close);
    }
}
