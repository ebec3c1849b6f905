#!/usr/bin/env bash
# PostgreSQL init script of the compose stack (mounted into /docker-entrypoint-initdb.d, so it runs
# once, on an empty data volume): one role and one database per service, the database owned by
# its role, nobody else allowed in. Each service's DATABASE_URL logs in as its own role
# (docker-compose.yml), so no service can read another's tables.
#
# Passwords: <SERVICE>_DB_PASSWORD (INTAKE_DB_PASSWORD, ...); a missing one stops the init.
# Names and passwords go through psql variables (:"name", :'literal'), so any character is safe.
set -euo pipefail

SERVICES=(intake routing notification postal reporting console)

for service in "${SERVICES[@]}"; do
    variable="${service^^}_DB_PASSWORD"
    password="${!variable:-}"
    if [ -z "$password" ]; then
        echo "motcua: set $variable" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        --set=name="$service" --set=password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT ALL ON DATABASE :"name" TO :"name";
SQL
    echo "motcua: database and role $service created"
done
