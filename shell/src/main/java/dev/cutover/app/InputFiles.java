package dev.cutover.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads what an operator hands the CLI (runbook, params file, transcript) with one clear line for
 * every way it can be wrong: missing, a directory, unreadable, too large ({@code /dev/zero}),
 * binary or not UTF-8. Each problem is a {@link UsageException}: exit 2, no stack trace.
 */
final class InputFiles {
    static final long RUNBOOK_LIMIT = 8L << 20;
    static final long PARAMS_LIMIT = 1L << 20;
    static final long TRANSCRIPT_LIMIT = 512L << 20;

    private InputFiles() {
    }

    /** The file's text, strictly UTF-8 (a BOM is kept for the parser to drop). */
    static String text(Path file, String what, long limit) {
        return decode(file, what, bytes(file, what, limit));
    }

    /**
     * Refuses a file above {@code limit} by its size alone, for readers that read it themselves
     * ({@code render}: a 3 GB file was an OutOfMemoryError). Same line as {@link #bytes}.
     */
    static void notLarger(Path file, String what, long limit) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > limit) throw tooLarge(file, what, limit);
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static UsageException tooLarge(Path file, String what, long limit) {
        return new UsageException(what + " " + file + " is larger than " + (limit >> 20) + " MiB: not a " + what);
    }

    static byte[] bytes(Path file, String what, long limit) {
        if (Files.isDirectory(file)) throw new UsageException(what + " " + file + " is a directory, not a file");
        // Not only regular files: a params file may be a pipe (--params-file <(vault read ...)).
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) throw tooLarge(file, what, limit);
            return b;
        } catch (NoSuchFileException e) {
            throw new UsageException("no such " + what + ": " + file);
        } catch (AccessDeniedException e) {
            throw new UsageException("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    static String decode(Path file, String what, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) throw new UsageException(what + " " + file + " is binary (a NUL byte at line " + lineAt(bytes, i) + "), not text");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(what + " " + file + " is not UTF-8 text (line " + lineAt(bytes, firstBadByte(bytes)) + ")");
        }
    }

    private static int firstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) if (bytes[i] == '\n') line++;
        return line;
    }
}
