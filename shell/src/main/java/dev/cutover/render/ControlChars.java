package dev.cutover.render;

/**
 * Text from a block, a step, a server or a runbook made inert for a terminal: C0 control characters
 * (but tab and the line feed that splits lines), DEL and C1 (U+0080–U+009F) become visible
 * notation, so output cannot clear the screen, set the title, hide text (ESC[8m) or overwrite a line
 * with a forged status (CR). C0 and DEL in caret notation as {@code cat -v} shows them ({@code ^[},
 * {@code ^M}, {@code ^?}), C1 as a Java escape (U+009B shows as backslash, u009b). cutover's own colours are added after this, by the renderer.
 */
public final class ControlChars {
    private ControlChars() {
    }

    public static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f);
    }

    /** The visible form of one control character. */
    public static String visible(char c) {
        if (c < 0x20) return "^" + (char) (c + 0x40);
        if (c == 0x7f) return "^?";
        return String.format("\\u%04x", (int) c);
    }

    /** The text with every control character made visible; the same instance when it has none. */
    public static String escape(String text) {
        if (text == null) return null;
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) i++;
        if (i == text.length()) return text;
        StringBuilder sb = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) sb.append(visible(c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
