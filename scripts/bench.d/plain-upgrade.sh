#!/usr/bin/env bash
# The same upgrade as bench.d/upgrade.md, as plain commands an operator would type over ssh:
# initdb beforehand (like cutover's rehearsal), then stop, pg_upgrade --link -j cores, start.
# Prints "DOWNTIME_MS n": from the stop to the new server accepting connections.
set -euo pipefail
. "$1"   # lab.params
ssh_new=(ssh -o BatchMode=yes -p "${new_ssh##*:}" "${new_ssh%:*}")
"${ssh_new[@]}" "$new15_bindir/initdb -D $new15_pgdata -U postgres -E UTF8 --locale=C.UTF-8 --locale-provider=libc >/dev/null 2>&1 &&
  cp $new_pgdata/pg_hba.conf $new15_pgdata/ && printf \"port = $new15_port\nlisten_addresses = '127.0.0.1'\n\" >> $new15_pgdata/postgresql.auto.conf"
t0=$(date +%s%N)
"${ssh_new[@]}" "$new_bindir/pg_ctl -D $new_pgdata -m fast -w stop >/dev/null &&
  cd \$(mktemp -d) && $new15_bindir/pg_upgrade --link -j \$(nproc) -U postgres -b $new_bindir -B $new15_bindir -d $new_pgdata -D $new15_pgdata \
     -p $new_port -P $new15_port > /dev/null &&
  $new15_bindir/pg_ctl -D $new15_pgdata -l $new15_pgdata/server.log -w start > /dev/null"
t1=$(date +%s%N)
echo "DOWNTIME_MS $(( (t1 - t0) / 1000000 ))"
