package dev.cutover.freeze;

import dev.cutover.pg.ConnInfo;

/**
 * A freeze's server no longer runs (nothing listens at its address), so there is nothing to undo
 * there now. What the freeze wrote stays in the server's own files; {@link #leftInPlace} says what
 * and how to remove it once the server is started again.
 */
final class ServerGone extends Exception {
    private final String serverName;
    private final ConnInfo server;
    private final String leftInPlace;

    ServerGone(String serverName, ConnInfo server, String leftInPlace) {
        super(serverName + " is not running (connection refused at " + server.host() + ":" + server.port() + ")");
        this.serverName = serverName;
        this.server = server;
        this.leftInPlace = leftInPlace;
    }

    String serverName() {
        return serverName;
    }

    ConnInfo server() {
        return server;
    }

    String leftInPlace() {
        return leftInPlace;
    }
}
