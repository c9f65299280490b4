package dev.cutover.host;

/**
 * The remote half of an atomic file write: content arrives on stdin into a temp file beside the
 * target, is checked for length and sha-256 (a dropped connection delivers a short file), fsynced,
 * given the old file's owner and mode (or the requested ones), then renamed over the target.
 */
final class AtomicWriteScript {
    private AtomicWriteScript() {
    }

    /** Arguments: $1 path, $2 byte count, $3 sha-256, $4 mode or "", $5 owner or "". */
    static final String SCRIPT = """
            set -eu
            f=$1; n=$2; sum=$3; mode=$4; owner=$5
            d=$(dirname -- "$f")
            t=$(mktemp "$d/.cutover-write.XXXXXX")
            trap 'rm -f -- "$t"' EXIT HUP INT TERM PIPE
            cat > "$t"
            got=$(wc -c < "$t")
            if [ "$got" -ne "$n" ]; then echo "short write: $got of $n bytes arrived; $f left unchanged" >&2; exit 3; fi
            if [ "$(sha256sum < "$t" | cut -d' ' -f1)" != "$sum" ]; then echo "checksum mismatch; $f left unchanged" >&2; exit 3; fi
            if [ -e "$f" ]; then chmod --reference="$f" "$t"; chown --reference="$f" "$t" 2>/dev/null || true; fi
            if [ -n "$mode" ]; then chmod "$mode" "$t"; fi
            if [ -n "$owner" ]; then chown "$owner" "$t"; fi
            sync "$t" 2>/dev/null || true
            mv -f -- "$t" "$f"
            trap - EXIT HUP INT TERM PIPE
            sync "$d" 2>/dev/null || true
            """;
}
