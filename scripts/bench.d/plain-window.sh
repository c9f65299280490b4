#!/usr/bin/env bash
# The same window as bench.d/window.md, typed as plain PostgreSQL commands: the baseline.
set -euo pipefail
. "$1"   # lab.params
PG15=/usr/lib/postgresql/15/bin
bouncer=("$PG15/psql" -X -q -d "${pgbouncer_url}")
neu=("$PG15/psql" -X -Atq -d "${new_url}")
"${bouncer[@]}" -c "PAUSE appdb"
# The old server's host is reached over ssh, as an operator's script would (and as cutover does).
ssh_old=(ssh -o BatchMode=yes -p "${old_ssh##*:}" "${old_ssh%:*}")
"${ssh_old[@]}" "$old_bindir/pg_ctl -D $old_pgdata -m fast -w stop" >/dev/null
ckpt=$("${ssh_old[@]}" "LC_ALL=C $old_bindir/pg_controldata -D $old_pgdata" | awk -F': *' '/Latest checkpoint location/ {print $2}')
until [[ "$("${neu[@]}" -c "select pg_last_wal_replay_lsn() > '$ckpt'::pg_lsn")" == t ]]; do sleep 0.02; done
"${neu[@]}" -c "select pg_promote(true, 60)" >/dev/null
port=${new_url##*:}; port=${port%%/*}
sed -i "s/^appdb = host=[^ ]* port=[0-9]*/appdb = host=127.0.0.1 port=$port/" "$pgbouncer_config"
"${bouncer[@]}" -c "RELOAD"
"${bouncer[@]}" -c "RESUME appdb"
