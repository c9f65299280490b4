package dev.cutover.host;

import java.io.IOException;

/** An SSH problem explained in one line (refused key, failed login, unreachable host). */
public class SshException extends IOException {
    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
