#!/usr/bin/env bash
# Writes the class-data-sharing archive for one exact jar: cds-archive.sh JAVA JAR ARCHIVE.
# A training run of a one-block runbook (start-up, picocli, parse, Groovy compile, one step, transcript)
# records every class it loaded; the launchers then map them instead of loading and verifying them
# again. The archive is valid only for this jar (path, size, time): a rebuilt jar needs a new one.
# Never fails the caller: when the JVM cannot dump, ARCHIVE is left empty, which the launchers' JVM
# ignores silently (-Xshare:auto), and it is not tried again until the jar changes.
set -uo pipefail
java="$1" jar="$2" jsa="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp" "$jsa.$$"' EXIT
printf '# Training\n\n```groovy\nx = 1\n```\n' > "$tmp/one.md"
if "$java" -XX:ArchiveClassesAtExit="$jsa.$$" -XX:TieredStopAtLevel=1 -Xlog:cds=off -Xlog:cds+dynamic=off \
     -jar "$jar" run "$tmp/one.md" --transcript "$tmp/t.md" >/dev/null 2>&1 && [[ -s "$jsa.$$" ]]; then
  mv -f "$jsa.$$" "$jsa"
else
  : > "$jsa"
fi
exit 0
