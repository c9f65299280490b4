package dev.cutover.host;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: any string becomes exactly one word, whatever quotes, spaces or ';' it holds. */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) return word;
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
