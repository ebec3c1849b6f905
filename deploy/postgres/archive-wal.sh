#!/bin/sh
# archive_command of the motcua PostgreSQL server (deploy/postgres/archiving.conf):
#   archive-wal.sh <path of the segment> <file name> <archive directory>
# Writes <archive>/<file name>.gz atomically (a temporary name, fsync, rename), so a crash never leaves
# a half-written segment under the real name. Run twice for the same segment (PostgreSQL retries after
# a crash) it succeeds when the archived copy is identical and fails, keeping the archive, when it
# differs: the PostgreSQL manual's rule for archive commands.
set -eu
source_path=$1
name=$2
archive=$3
target="$archive/$name.gz"
if [ -f "$target" ]; then
    if gzip -dc "$target" | cmp -s - "$source_path"; then
        exit 0
    fi
    echo "motcua-archive-wal: $target exists with other content; not overwritten" >&2
    exit 1
fi
tmp="$archive/.$name.gz.tmp"
gzip -c "$source_path" > "$tmp"
sync "$tmp" 2>/dev/null || true
mv "$tmp" "$target"
