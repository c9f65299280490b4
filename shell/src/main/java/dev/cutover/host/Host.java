package dev.cutover.host;

import java.io.IOException;

/** A machine commands run on: this one ({@link LocalHost}) or a database host over SSH. */
public interface Host {

    /** Short name for output and transcripts: "local", "postgres@10.0.0.5". */
    String name();

    /** Runs a command to completion (or timeout / cancel, which kill it), streaming its lines. */
    ExecResult exec(ExecRequest request) throws IOException, InterruptedException;
}
