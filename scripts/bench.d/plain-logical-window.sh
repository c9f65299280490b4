#!/usr/bin/env bash
# The same window as bench.d/logical-window.md, typed as plain PostgreSQL commands: the baseline.
# PAUSE in PgBouncer; in every replicated database a marker row committed on the source and waited
# for on the target; every sequence set on the target (setval to the source's last value);
# PgBouncer repointed at the target; RESUME. Uses the marker table replicate made (cutover.marker).
set -euo pipefail
. "$1"   # lab.params
PG15=/usr/lib/postgresql/15/bin
bouncer=("$PG15/psql" -X -q -d "${pgbouncer_url}")
old_base=${old_url%/*}; new_base=${new15_url%/*}
dbs=(postgres appdb)
"${bouncer[@]}" -c "PAUSE appdb"
for db in "${dbs[@]}"; do
  token="plain-$(date +%s%N)-$db"
  "$PG15/psql" -X -Atq -d "$old_base/$db" -c "insert into cutover.marker (token, what) values ('$token', 'plain cut')"
  until [[ "$("$PG15/psql" -X -Atq -d "$new_base/$db" -c "select count(*) from cutover.marker where token = '$token'")" == 1 ]]; do sleep 0.02; done
done
for db in "${dbs[@]}"; do
  "$PG15/psql" -X -Atq -d "$old_base/$db" -c "select format('select setval(%L, %s, true);', format('%I.%I', schemaname, sequencename), last_value)
      from pg_sequences where last_value is not null and schemaname <> 'cutover'" \
    | "$PG15/psql" -X -q -1 -o /dev/null -d "$new_base/$db"
done
sed -i "s/^appdb = host=[^ ]* port=[0-9]*/appdb = host=127.0.0.1 port=$new15_port/" "$pgbouncer_config"
"${bouncer[@]}" -c "RELOAD"
"${bouncer[@]}" -c "RESUME appdb"
