#!/usr/bin/env bash
# A base backup of the whole PostgreSQL cluster (all six databases), the start of point-in-time recovery.
#
#   scripts/backup/base-backup.sh [BACKUP_DIR]        (default $BACKUP_DIR, else var/backups)
#
# Connects with the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD; a role with the
# REPLICATION attribute, e.g. postgres). Writes BACKUP_DIR/<UTC date and time>/:
#   base.tar.gz       the data directory, gzip-compressed
#   pg_wal.tar.gz     the WAL written during the backup (streamed), so the backup restores on its own
#   backup_manifest   PostgreSQL's manifest: every file with its size and checksum (pg_verifybackup)
#   motcua-backup.txt when it started and ended, the WAL position where it is consistent, the server
# The directory gets its final name only once everything is written: a backup interrupted half-way
# stays under .partial-* and is never taken for a good one. Exit status 0 only for a complete backup.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
bin=$(pg_bindir)
root=${1:-${BACKUP_DIR:-var/backups}}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$root"
partial="$root/.partial-$stamp"
final="$root/$stamp"
rm -rf "$partial"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$bin/pg_basebackup" --pgdata="$partial" --format=tar --gzip --wal-method=stream --checkpoint=fast \
    --label="motcua $stamp" --manifest-checksums=SHA256 --no-password
ended=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The .backup history file the server archived names the first WAL segment this backup needs: what
# prune.sh keeps from. backup_label inside base.tar.gz holds the same line.
start_wal=$(tar -xzOf "$partial/base.tar.gz" backup_label | sed -n 's/^START WAL LOCATION: .* (file \(.*\))$/\1/p')
server=$("$bin/psql" -XAtqc "SHOW server_version" postgres 2>/dev/null || echo unknown)
cat > "$partial/motcua-backup.txt" <<INFO
label: motcua $stamp
started_at: $started
ended_at: $ended
start_wal_file: $start_wal
server_version: $server
restore: scripts/backup/restore.sh $final <new data directory> [--target-time '...']
INFO
mv "$partial" "$final"
echo "$final"
