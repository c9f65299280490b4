package dev.cutover.transcript;

import java.util.Locale;
import java.util.Set;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * The only URLs a rendered transcript links to: http, https, mailto, and relative or fragment
 * links; images http, https or relative. Anything else (javascript:, data:, vbscript:, any scheme
 * we do not know) becomes "#". The scheme is judged the way a browser reads it: CommonMark has
 * already decoded entities and backslash escapes, and browsers drop control characters and blanks
 * ("java&#x09;script:" is javascript:), so those are removed before looking; case does not count.
 */
final class SafeUrls implements UrlSanitizer {
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");
    private static final Set<String> IMAGE_SCHEMES = Set.of("http", "https");
    static final String BLOCKED = "#";

    @Override
    public String sanitizeLinkUrl(String url) {
        return allowed(url, LINK_SCHEMES) ? url : BLOCKED;
    }

    @Override
    public String sanitizeImageUrl(String url) {
        return allowed(url, IMAGE_SCHEMES) ? url : BLOCKED;
    }

    static boolean allowed(String url, Set<String> schemes) {
        if (url == null) return false;
        String seen = url.replaceAll("[\\x00-\\x20\\x7f-\\x9f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff]", "");
        for (int i = 0; i < seen.length(); i++) {
            char c = seen.charAt(i);
            if (c == ':') return schemes.contains(seen.substring(0, i).toLowerCase(Locale.ROOT));
            if (c == '/' || c == '\\' || c == '?' || c == '#') return true; // relative: no scheme before the path
        }
        return true; // no colon at all: a relative path
    }
}
