package dev.cutover.alias;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites one alias in an /etc/hosts-style file, leaving every other byte alone: the alias's
 * address is replaced where the alias stands alone on its line, split onto its own line where it
 * shares one, and appended when absent.
 */
public final class HostsFile {
    private HostsFile() {
    }

    /** The address the alias resolves to in this file (first match, as the resolver reads it), or null. */
    public static String resolve(String content, String alias) {
        for (String line : content.split("\n", -1)) {
            String[] f = fields(line);
            for (int i = 1; i < f.length; i++) if (f[i].equals(alias)) return f[0];
        }
        return null;
    }

    public static String point(String content, String alias, String address) {
        String[] lines = content.split("\n", -1);
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String line : lines) {
            String[] f = fields(line);
            int at = -1;
            for (int i = 1; i < f.length; i++) if (f[i].equals(alias)) at = i;
            if (at < 0) {
                out.add(line);
                continue;
            }
            if (placed) {
                // A later duplicate would never be read; drop the alias there so the file says one thing.
                String rest = removeName(line, alias);
                if (rest != null) out.add(rest);
                continue;
            }
            if (f.length == 2) {
                int start = line.indexOf(f[0]);
                out.add(line.substring(0, start) + address + line.substring(start + f[0].length()));
            } else {
                String rest = removeName(line, alias);
                if (rest != null) out.add(rest);
                out.add(address + "\t" + alias);
            }
            placed = true;
        }
        if (!placed) {
            // Append before the final empty element a trailing newline leaves.
            boolean trailingNewline = !out.isEmpty() && out.get(out.size() - 1).isEmpty();
            if (trailingNewline) out.remove(out.size() - 1);
            out.add(address + "\t" + alias);
            out.add("");
        }
        return String.join("\n", out);
    }

    /** The line without the name, or null when only the address would be left. */
    private static String removeName(String line, String name) {
        String comment = "";
        String body = line;
        int hash = line.indexOf('#');
        if (hash >= 0) {
            comment = line.substring(hash);
            body = line.substring(0, hash);
        }
        String replaced = body.replaceAll("(?<=\\s)" + java.util.regex.Pattern.quote(name) + "(?=\\s|$)", "").replaceAll("[ \\t]+$", "");
        String[] f = replaced.trim().split("\\s+");
        if (f.length < 2) return null;
        return replaced.replaceAll("([ \\t])[ \\t]+", "$1") + (comment.isEmpty() ? "" : " " + comment);
    }

    private static String[] fields(String line) {
        String body = line;
        int hash = body.indexOf('#');
        if (hash >= 0) body = body.substring(0, hash);
        body = body.trim();
        return body.isEmpty() ? new String[0] : body.split("\\s+");
    }
}
