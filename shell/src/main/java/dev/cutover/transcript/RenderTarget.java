package dev.cutover.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a rendered page may be written: never over its own transcript (the record of the window),
 * and over an existing file only when cutover rendered it (it carries {@link HtmlRenderer#MARKER})
 * or the operator insists.
 */
public final class RenderTarget {
    private static final int MARKER_WITHIN_BYTES = 512;

    /**
     * @param reason           one line, naming the file
     * @param forceOverrides   whether insisting (--force) would write anyway
     */
    public record Refusal(String reason, boolean forceOverrides) {
    }

    private RenderTarget() {
    }

    /** Why the page must not be written to {@code html}, or empty when it may be. */
    public static Optional<Refusal> check(Path transcript, Path html, boolean force) throws IOException {
        if (!Files.exists(html)) return Optional.empty();
        if (Files.isSameFile(transcript, html)) {
            return Optional.of(new Refusal(html + " is the transcript itself; render to another file", false));
        }
        if (!Files.isRegularFile(html)) return Optional.of(new Refusal(html + " is not a regular file", false));
        if (!force && !renderedByCutover(html)) {
            return Optional.of(new Refusal(html + " exists and was not rendered by cutover", true));
        }
        return Optional.empty();
    }

    /** Whether the file starts like a page we rendered: the marker on one of its first lines. */
    static boolean renderedByCutover(Path html) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(html)) {
            head = in.readNBytes(MARKER_WITHIN_BYTES);
        }
        return new String(head, StandardCharsets.UTF_8).lines().limit(3).anyMatch(HtmlRenderer.MARKER::equals);
    }
}
