#!/usr/bin/env bash
# Point-in-time recovery into a FRESH data directory: a base backup, then the archived WAL replayed up to
# a moment (or to the end of the archive). The running server is never touched.
#
#   scripts/backup/restore.sh BACKUP NEW_DATA_DIR [--archive DIR] [--target-time 'YYYY-MM-DD HH:MM:SS+07']
#                             [--keep-archiving]
#
#   BACKUP          a directory written by base-backup.sh
#   NEW_DATA_DIR    must not exist, or be empty
#   --archive       the WAL archive (default $ARCHIVE_DIR, else var/pg-archive)
#   --target-time   stop just before the first transaction committed after this moment (with its time
#                   zone); without it, recovery replays everything the archive holds
#   --keep-archiving  let the restored server archive into the same archive once it runs (for the
#                   cluster that becomes production); by default a restored copy archives nothing, so a
#                   trial restore never writes into the production archive
#
# Then start the server on NEW_DATA_DIR (pg_ctl -D NEW_DATA_DIR start, or mount it as the compose
# volume): it replays the WAL, stops at the target, and opens read-write on a new timeline. What to do
# next, per service (replay, intake's after-restore): docs/backups.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
bin=$(pg_bindir)
usage() { sed -n '5,7p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
backup=$1; data=$2; shift 2
archive=${ARCHIVE_DIR:-var/pg-archive}
target_time=""
keep_archiving=no
while [ $# -gt 0 ]; do
    case $1 in
        --archive) archive=$2; shift 2 ;;
        --target-time) target_time=$2; shift 2 ;;
        --keep-archiving) keep_archiving=yes; shift ;;
        *) usage ;;
    esac
done
[ -f "$backup/base.tar.gz" ] && [ -f "$backup/backup_manifest" ] || { echo "restore.sh: $backup is not a base backup" >&2; exit 1; }
[ -d "$archive" ] || { echo "restore.sh: no WAL archive at $archive" >&2; exit 1; }
if [ -e "$data" ] && [ -n "$(ls -A "$data")" ]; then
    echo "restore.sh: $data is not empty; restore into a fresh directory" >&2; exit 1
fi
archive=$(cd "$archive" && pwd)
mkdir -p "$data/pg_wal"
chmod 700 "$data"
tar -xzf "$backup/base.tar.gz" -C "$data"
[ ! -f "$backup/pg_wal.tar.gz" ] || tar -xzf "$backup/pg_wal.tar.gz" -C "$data/pg_wal"
cp "$backup/backup_manifest" "$data/backup_manifest"
# Every file against the manifest's checksums, and the backup's own WAL, before anything replays.
"$bin/pg_verifybackup" --quiet "$data"
rm "$data/backup_manifest"

restore_wal=$(cd "$here/../../deploy/postgres" && pwd)/restore-wal.sh
[ -x /usr/local/bin/motcua-restore-wal ] && restore_wal=/usr/local/bin/motcua-restore-wal
{
    echo ""
    echo "# motcua restore $(date -u +%Y-%m-%dT%H:%M:%SZ) from $backup"
    echo "restore_command = '$restore_wal %f %p $archive'"
    if [ -n "$target_time" ]; then
        echo "recovery_target_time = '$target_time'"
        # inclusive = false: a transaction committed exactly at the target is left out, never half-kept.
        echo "recovery_target_inclusive = false"
    fi
    echo "recovery_target_timeline = 'latest'"
    echo "recovery_target_action = 'promote'"
    if [ "$keep_archiving" = no ]; then
        echo "archive_mode = off"
    fi
} >> "$data/postgresql.auto.conf"
touch "$data/recovery.signal"
echo "restored base backup $(basename "$backup") into $data; start the server there to replay the WAL${target_time:+ up to $target_time}"
