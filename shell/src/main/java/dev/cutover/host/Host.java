package dev.cutover.host;

import java.io.IOException;
import java.util.List;

/**
 * A machine commands run on and files live on: this one ({@link LocalHost}) or a database host
 * over SSH ({@link SshHost}). Same contract for both, so every command works either way.
 */
public interface Host {

    /** Short name for output and transcripts: "local", "postgres@10.0.0.5:22". */
    String name();

    /** Runs a command to completion (or timeout / cancel, which kill it and its children), streaming its lines. */
    ExecResult exec(ExecRequest request) throws IOException, InterruptedException;

    /** The file's content, or an IOException naming the path when it cannot be read. */
    byte[] readFile(String path) throws IOException, InterruptedException;

    /**
     * Replaces a file atomically: written to a temp file beside it, checked, fsynced, renamed over.
     * An interrupted write leaves the old content in place.
     */
    void writeFileAtomic(String path, byte[] content, FileAttributes attributes) throws IOException, InterruptedException;

    boolean exists(String path) throws IOException, InterruptedException;

    /** Names in a directory (not paths), sorted; empty when the directory is absent. */
    List<String> list(String dir) throws IOException, InterruptedException;

    /** Whether this host is the machine we run on (paths and loopback addresses mean the same). */
    default boolean isLocal() {
        return false;
    }
}
