#!/usr/bin/env bash
# A role and a database per tvers service, as `tvers up` makes them (tvers_cli.backing), run once
# by the official postgres image on an empty data folder (/docker-entrypoint-initdb.d).
#
# - Each role's password is read from its secret file (db-<service>-password, made by
#   `tvers compose-secrets`) inside psql, so it shows in no command line or environment.
# - Each database belongs to its service's role, and CONNECT is taken from PUBLIC: no service's
#   role can even connect to another's database, let alone read its event store.
# - Each role's transactions are bounded (60 s idle inside one, 5 min in all), as `tvers up` bounds
#   them (decision 0050): the relays' gap-safe horizon covers the whole server, so one forgotten
#   transaction would hold back every relay. Migrations lift the limit for themselves.
set -Eeuo pipefail

secrets="${TVERS_SECRETS:-/run/secrets}"
services="${TVERS_SERVICES:-access volunteers visits desk reporting}"

for service in $services; do
    password_file="${secrets}/db-${service}-password"
    if [ ! -s "$password_file" ]; then
        echo "tvers: no password for ${service} in ${password_file} (run tvers compose-secrets)" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --no-psqlrc \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        -v role="tvers_${service}" -v password_file="$password_file" <<'SQL'
\set password `cat :'password_file'`
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
ALTER ROLE :"role" SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE :"role" SET transaction_timeout = '5min';
\unset password
SQL
    echo "tvers: database and role tvers_${service}"
done
