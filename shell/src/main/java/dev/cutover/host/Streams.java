package dev.cutover.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Pumps a process's output: keeps its exact text and hands each line on as it arrives. */
final class Streams {
    private Streams() {
    }

    /**
     * @param firstLine when not null, receives the first line instead of the sink (remote hosts
     *                  announce their process id there)
     */
    static Thread pump(InputStream in, StringBuilder sink, Consumer<String> lines, Consumer<String> firstLine) {
        Thread t = new Thread(() -> {
            try (InputStreamReader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                StringBuilder line = new StringBuilder();
                boolean first = firstLine != null;
                boolean lastWasCr = false;
                int n;
                while ((n = r.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        char c = buf[i];
                        if (c == '\n' && lastWasCr) {
                            lastWasCr = false; // CRLF: the CR already ended the line
                            synchronized (sink) {
                                sink.append('\n');
                            }
                            continue;
                        }
                        lastWasCr = c == '\r';
                        // A bare CR ends a line too: progress meters (pg_basebackup -P) redraw with it.
                        if (c == '\n' || c == '\r') {
                            String l = line.toString();
                            line.setLength(0);
                            if (first) {
                                first = false;
                                firstLine.accept(l);
                                continue;
                            }
                            synchronized (sink) {
                                sink.append(l).append(c);
                            }
                            if (lines != null) lines.accept(l);
                        } else {
                            line.append(c);
                        }
                    }
                }
                if (!line.isEmpty()) {
                    synchronized (sink) {
                        sink.append(line);
                    }
                    if (lines != null) lines.accept(line.toString());
                }
            } catch (IOException ignored) {
                // the process or connection went away; what was read is kept
            }
        }, "exec-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
