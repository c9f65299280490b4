package dev.cutover.host;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The few keywords of an OpenSSH client configuration ({@code ~/.ssh/config}) that decide where
 * and as whom cutover logs in: HostName, User, Port, IdentityFile, IdentitiesOnly, ProxyJump,
 * UserKnownHostsFile. SSHJ reads no ssh_config, so this does, with OpenSSH's rules: {@code Host}
 * patterns ({@code *}, {@code ?}, {@code !negation}) match the name as written, the first value
 * obtained for a keyword wins, IdentityFile accumulates, {@code Include} is read in place.
 * {@code Match} blocks are evaluated for {@code all}, {@code host} (the HostName obtained so far),
 * {@code originalhost}, {@code user}, {@code localuser}, {@code final} and {@code canonical} (never:
 * cutover does not canonicalize), with {@code !} negation; a Match that needs what cutover cannot
 * evaluate ({@code exec}, {@code localnetwork}, {@code tagged}) is refused with its file and line
 * when it could apply, rather than skipped silently (a skipped ProxyJump is a different route).
 */
public final class SshConfig {
    private static final int MAX_INCLUDE_DEPTH = 16;
    private final List<Line> lines;
    private final Path sshDir;

    private SshConfig(List<Line> lines, Path sshDir) {
        this.lines = lines;
        this.sshDir = sshDir;
    }

    /**
     * A keyword line and what it sits under: Host patterns (null = before any Host: applies to all),
     * or the criteria of a Match line ({@code match} non-null, with that line's file and number).
     */
    private record Line(List<String> hostPatterns, Criteria match, String keyword, List<String> args, Path file, int number) {
    }

    /** The words after {@code Match}, where they were written. */
    private record Criteria(List<String> words, Path file, int number) {
    }

    /** The settings one host name gets. */
    public record Settings(Map<String, List<String>> values) {
        public String first(String keyword) {
            List<String> v = values.get(keyword);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public List<String> all(String keyword) {
            return values.getOrDefault(keyword, List.of());
        }
    }

    /** The configuration in {@code sshDir/config}; none (every host as written) when the file is absent. */
    public static SshConfig load(Path sshDir) {
        Path file = sshDir.resolve("config");
        List<Line> lines = new ArrayList<>();
        if (Files.isRegularFile(file)) read(file, sshDir, null, null, lines, 0);
        return new SshConfig(lines, sshDir);
    }

    private static void read(Path file, Path sshDir, List<String> inherited, Criteria inheritedMatch, List<Line> out, int depth) {
        if (depth > MAX_INCLUDE_DEPTH) throw new IllegalArgumentException(file + ": Include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        List<String> patterns = inherited;
        Criteria match = inheritedMatch;
        for (int i = 0; i < text.size(); i++) {
            List<String> words = words(text.get(i), file, i + 1);
            if (words.isEmpty()) continue;
            String keyword = words.get(0).toLowerCase(Locale.ROOT);
            List<String> args = words.subList(1, words.size());
            switch (keyword) {
                case "host" -> {
                    patterns = List.copyOf(args);
                    match = null;
                }
                case "match" -> {
                    patterns = null;
                    match = new Criteria(List.copyOf(args), file, i + 1);
                }
                case "include" -> {
                    for (String pattern : args) {
                        for (Path included : expandInclude(pattern, sshDir)) read(included, sshDir, patterns, match, out, depth + 1);
                    }
                }
                default -> out.add(new Line(patterns, match, keyword, List.copyOf(args), file, i + 1));
            }
        }
    }

    /** Words of a line: {@code Keyword value}, {@code Keyword=value}, double quotes for spaces, # comments. */
    private static List<String> words(String line, Path file, int number) {
        List<String> words = new ArrayList<>();
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) return words;
        int eq = t.indexOf('=');
        int space = t.indexOf(' ') < 0 ? t.indexOf('\t') : t.indexOf(' ');
        if (eq > 0 && (space < 0 || eq < space)) t = t.substring(0, eq) + " " + t.substring(eq + 1);
        StringBuilder w = null;
        boolean quoted = false;
        for (char c : t.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                if (w == null) w = new StringBuilder();
            } else if (Character.isWhitespace(c) && !quoted) {
                if (w != null) words.add(w.toString());
                w = null;
            } else if (c == '#' && !quoted && w == null && !words.isEmpty()) {
                break;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException(file + " line " + number + ": unbalanced quotes");
        if (w != null) words.add(w.toString());
        return words;
    }

    private static List<Path> expandInclude(String pattern, Path sshDir) {
        String p = pattern.startsWith("~/") ? Path.of(sshDir.getParent().toString(), pattern.substring(2)).toString() : pattern;
        Path path = Path.of(p).isAbsolute() ? Path.of(p) : sshDir.resolve(p);
        if (!p.contains("*") && !p.contains("?")) return Files.isRegularFile(path) ? List.of(path) : List.of();
        Path dir = path.getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + path);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(m::matches).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** What applies to {@code host} (the name as written after {@code ssh:}): first value wins, IdentityFile adds up. */
    public Settings settingsFor(String host) {
        return settingsFor(host, null, System.getProperty("user.name"));
    }

    /**
     * @param writtenUser the user written before the host ({@code root@alias}), or null
     * @param localUser   who runs cutover (for {@code Match localuser}, and {@code Match user} when nothing else names one)
     */
    public Settings settingsFor(String host, String writtenUser, String localUser) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<Criteria, Boolean> decided = new java.util.HashMap<>();
        for (Line line : lines) {
            if (line.match() != null) {
                if (!decided.computeIfAbsent(line.match(), c -> matchApplies(c, host, values, writtenUser, localUser))) continue;
            } else if (line.hostPatterns() != null && !matches(line.hostPatterns(), host)) {
                continue;
            }
            if (line.keyword().equals("identityfile")) {
                values.computeIfAbsent("identityfile", k -> new ArrayList<>()).addAll(line.args());
            } else {
                values.putIfAbsent(line.keyword(), line.args());
            }
        }
        return new Settings(values);
    }

    /** A Match line's criteria, all of which must hold (evaluated when the block is reached, as ssh does). */
    private static boolean matchApplies(Criteria c, String host, Map<String, List<String>> values, String writtenUser, String localUser) {
        List<String> w = c.words();
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i).toLowerCase(Locale.ROOT);
            boolean negated = word.startsWith("!");
            if (negated) word = word.substring(1);
            boolean result;
            switch (word) {
                case "all", "final" -> result = true;
                case "canonical" -> result = false;
                case "host", "originalhost", "user", "localuser" -> {
                    if (i + 1 >= w.size()) throw new IllegalArgumentException(c.file() + " line " + c.number() + ": Match " + word + " needs patterns");
                    List<String> patterns = List.of(w.get(++i).split(","));
                    String value = switch (word) {
                        case "host" -> {
                            List<String> hn = values.get("hostname");
                            yield hn == null || hn.isEmpty() ? host : hn.get(0).replace("%h", host);
                        }
                        case "originalhost" -> host;
                        case "user" -> {
                            List<String> u = values.get("user");
                            yield writtenUser != null ? writtenUser : u != null && !u.isEmpty() ? u.get(0) : localUser;
                        }
                        default -> localUser;
                    };
                    result = value != null && matches(patterns, value);
                }
                default -> throw new IllegalArgumentException(c.file() + " line " + c.number() + ": Match " + word
                        + " is not evaluated by cutover, and its block may apply to " + host + ": give ssh: as user@host[:port], or a Host alias without it");
            }
            if (result == negated) return false;
        }
        return true;
    }

    /** OpenSSH's Host rule: some pattern matches and no negated one does. */
    static boolean matches(List<String> patterns, String host) {
        boolean any = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            if (glob(negated ? p.substring(1) : p, host)) {
                if (negated) return false;
                any = true;
            }
        }
        return any;
    }

    private static boolean glob(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return text.toLowerCase(Locale.ROOT).matches(re.toString());
    }

    public Path sshDir() {
        return sshDir;
    }
}
