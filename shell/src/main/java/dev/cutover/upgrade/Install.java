package dev.cutover.upgrade;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.PgVersion;

/**
 * What a PostgreSQL installation on a host offers, read in one round trip: its version, where its
 * extensions and libraries live, which extensions it packages (with their default versions) and
 * which settings it knows. The pre-flight compares the old cluster's needs against this.
 *
 * @param extensions extension name → default_version from its .control file
 * @param libraries  file names in pkglibdir ("citext.so")
 * @param settings   every setting name the server accepts
 */
public record Install(String bindir, PgVersion version, String sharedir, String pkglibdir, Map<String, String> extensions,
                      Set<String> libraries, Set<String> settings) {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    /** Probes the bindir on the host of {@code via} (any server on that host). */
    public static Install probe(Server via, String bindir) {
        String b = ShellQuote.quote(bindir);
        String script = "b=" + b + "\n"
                + "[ -x \"$b/postgres\" ] || { echo \"no postgres in $b\" >&2; exit 3; }\n"
                + "echo \"V $(\"$b/postgres\" -V)\"\n"
                + "if [ -x \"$b/pg_config\" ]; then s=$(\"$b/pg_config\" --sharedir); l=$(\"$b/pg_config\" --pkglibdir); "
                + "else m=$(basename \"$(dirname \"$b\")\"); s=\"$b/../../../share/postgresql/$m\"; l=\"$b/../lib\"; fi\n"
                + "echo \"S $s\"; echo \"L $l\"\n"
                + "for f in \"$s\"/extension/*.control; do [ -e \"$f\" ] || continue; n=$(basename \"$f\" .control); "
                + "d=$(sed -n \"s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\\([^']*\\)'.*/\\1/p\" \"$f\"); echo \"E $n $d\"; done\n"
                + "ls -1 \"$l\" 2>/dev/null | sed 's/^/F /'\n"
                + "\"$b/postgres\" --describe-config 2>/dev/null | cut -f1 | sed 's/^/G /'\n";
        ExecResult r = via.quietShell(script, Duration.ofSeconds(60));
        if (!r.ok()) throw new CommandException("cannot read the installation in " + bindir + " on " + via.getHost().name() + ": "
                + r.stderr().strip());
        String sharedir = null;
        String pkglibdir = null;
        PgVersion version = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        Set<String> libs = new TreeSet<>();
        Set<String> settings = new TreeSet<>();
        for (String line : r.stdout().split("\n")) {
            if (line.length() < 2) continue;
            String rest = line.substring(2);
            switch (line.charAt(0)) {
                case 'V' -> version = parseVersion(rest);
                case 'S' -> sharedir = rest;
                case 'L' -> pkglibdir = rest;
                case 'E' -> {
                    String[] f = rest.split(" ", 2);
                    extensions.put(f[0], f.length > 1 ? f[1] : "");
                }
                case 'F' -> libs.add(rest);
                case 'G' -> settings.add(rest);
                default -> {
                }
            }
        }
        if (version == null) throw new CommandException("cannot tell the version of " + bindir + "/postgres");
        return new Install(bindir, version, sharedir, pkglibdir, extensions, libs, settings);
    }

    /** "postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)" → 150010; "9.6.24" → 90624. */
    static PgVersion parseVersion(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.find()) throw new CommandException("cannot read a version from: " + text);
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (major >= 10) return new PgVersion(major * 10_000 + minor);
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new PgVersion(major * 10_000 + minor * 100 + patch);
    }

    /** Whether a C library ("$libdir/citext" or "citext") exists here. */
    public boolean hasLibrary(String name) {
        String base = name.replace("$libdir/", "");
        return libraries.contains(base) || libraries.contains(base + ".so");
    }
}
