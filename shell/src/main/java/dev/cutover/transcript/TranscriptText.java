package dev.cutover.transcript;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A transcript file as text, and its lines as a Markdown reader sees them. */
final class TranscriptText {
    private TranscriptText() {
    }

    /** The file decoded strictly: a transcript is UTF-8, anything else is not one (or is damaged). */
    static String read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TranscriptFormatException(path + ": not UTF-8 text");
        }
    }

    /** Lines split where CommonMark splits them (LF, CR LF, and a lone CR), numbered as editors number them. */
    static List<String> lines(String text) {
        return List.of(text.split("\r\n|\r|\n", -1));
    }
}
