# Shared by the backup scripts: where PostgreSQL's programs are. PG_BINDIR wins; then pg_config's
# directory when it holds the server programs; then the newest /usr/lib/postgresql/*/bin (Debian).
pg_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_basebackup" ]; then
        pg_config --bindir; return
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$found" ]; then echo "$found"; return; fi
    dirname "$(command -v pg_basebackup)"
}
