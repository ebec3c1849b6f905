#!/bin/sh
# restore_command of a cluster being recovered (scripts/backup/restore.sh writes it):
#   restore-wal.sh <file name> <path to write> <archive directory>
# A missing file is not an error: PostgreSQL asks for segments and timeline histories beyond the end
# of the archive and takes "not there" (exit 1, no message) as the end of recovery.
set -eu
name=$1
destination=$2
archive=$3
if [ -f "$archive/$name.gz" ]; then
    gzip -dc "$archive/$name.gz" > "$destination"
elif [ -f "$archive/$name" ]; then
    cp "$archive/$name" "$destination"
else
    exit 1
fi
