#!/usr/bin/env bash
# Retention: keep the newest KEEP base backups (default $BACKUP_KEEP, else 7) and the archived WAL from
# the oldest one kept onwards; delete older backups and older WAL segments.
#
#   scripts/backup/prune.sh BACKUP_DIR ARCHIVE_DIR [KEEP]
#
# Point-in-time recovery can go back to the start of the oldest backup kept, no further: with a nightly
# backup and KEEP=7, any moment of the last seven days. The WAL before that backup is useless without
# an older backup, so it goes with it (pg_archivecleanup, which leaves timeline .history files alone).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
bin=$(pg_bindir)
root=$1
archive=$2
keep=${3:-${BACKUP_KEEP:-7}}
[ "$keep" -ge 1 ] || { echo "prune.sh: keep at least one backup" >&2; exit 2; }
mapfile -t backups < <(find "$root" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -printf '%f\n' | sort)
count=${#backups[@]}
[ "$count" -gt 0 ] || { echo "prune.sh: no backup in $root; nothing deleted"; exit 0; }
if [ "$count" -gt "$keep" ]; then
    for old in "${backups[@]:0:count-keep}"; do
        rm -rf "${root:?}/$old"
        echo "deleted backup $old"
    done
fi
oldest=${backups[$(( count > keep ? count - keep : 0 ))]}
start_wal=$(sed -n 's/^start_wal_file: //p' "$root/$oldest/motcua-backup.txt")
[ -n "$start_wal" ] || { echo "prune.sh: $oldest has no start_wal_file; WAL kept" >&2; exit 1; }
"$bin/pg_archivecleanup" -x .gz "$archive" "$start_wal"
echo "kept $(( count < keep ? count : keep )) backup(s) from $oldest; WAL before $start_wal deleted"
