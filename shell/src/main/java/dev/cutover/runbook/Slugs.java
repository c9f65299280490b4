package dev.cutover.runbook;

import java.util.Locale;

/** Step ids derived from titles: lower case, letters and digits kept (any script), the rest '-'. */
public final class Slugs {
    private Slugs() {
    }

    public static String of(String title) {
        StringBuilder sb = new StringBuilder();
        boolean dash = false;
        for (int cp : title.toLowerCase(Locale.ROOT).codePoints().toArray()) {
            if (Character.isLetterOrDigit(cp)) {
                sb.appendCodePoint(cp);
                dash = false;
            } else if (!dash && !sb.isEmpty()) {
                sb.append('-');
                dash = true;
            }
        }
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '-') sb.setLength(len - 1);
        String slug = sb.toString();
        if (slug.length() > 48) {
            slug = slug.substring(0, 48).replaceAll("-+$", "");
        }
        return slug.isEmpty() || slug.matches("\\d+") ? "step-" + slug : slug;
    }
}
