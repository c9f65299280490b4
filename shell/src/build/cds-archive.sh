#!/usr/bin/env bash
# Writes the class-data-sharing archive for one exact jar: cds-archive.sh JAVA JAR ARCHIVE.
# A training run records every class it loaded; the launchers then map them instead of loading and
# verifying them again. The training run replays a two-block runbook whose first block comes compiled
# from the class cache (a run of the same runbook again: the common case) and whose second block is
# compiled (a new or edited runbook), so both paths start from the archive. It uses a class cache of its
# own, never the operator's. The archive is valid only for this jar (path, size, time): a rebuilt jar
# needs a new one.
# Never fails the caller: when the JVM cannot dump, ARCHIVE is left empty, which the launchers' JVM
# ignores silently (-Xshare:auto), and it is not tried again until the jar changes.
# The release archive ships this script as lib/cds-archive.sh; bin/cutover runs it where it is installed.
set -uo pipefail
java="$1" jar="$2" jsa="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp" "$jsa.$$"' EXIT
printf '# Training\n\n```groovy\nx = 1\n```\n' > "$tmp/cached.md"
printf '# Training\n\n```groovy\nx = 1\n```\n\n```groovy\ny = x + 1\n```\n' > "$tmp/two.md"
opts=(-XX:TieredStopAtLevel=1 -Xlog:cds=off -Xlog:cds+dynamic=off)
if XDG_CACHE_HOME="$tmp/cache" "$java" "${opts[@]}" -jar "$jar" run "$tmp/cached.md" --transcript "$tmp/t1.md" >/dev/null 2>&1 \
   && XDG_CACHE_HOME="$tmp/cache" "$java" -XX:ArchiveClassesAtExit="$jsa.$$" "${opts[@]}" \
        -jar "$jar" run "$tmp/two.md" --transcript "$tmp/t2.md" >/dev/null 2>&1 \
   && [[ -s "$jsa.$$" ]]; then
  mv -f "$jsa.$$" "$jsa"
else
  : > "$jsa"
fi
exit 0
