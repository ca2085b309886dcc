#!/usr/bin/env bash
# Runs a command with COUNTERSIGN_TEST_POSTGRES_URL pointing at a PostgreSQL server: the one already named
# by that variable, or a throwaway cluster started here on 127.0.0.1 and removed afterwards.
# If the cluster cannot start, this fails: PostgreSQL tests never skip.
#   Tests/support/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${COUNTERSIGN_TEST_POSTGRES_URL:-}" ]; then
    exec "$@"
fi
cluster=$(mktemp -d /tmp/countersign-pg.XXXXXX)
trap '"$here/postgres.sh" stop "$cluster"' EXIT
COUNTERSIGN_TEST_POSTGRES_URL=$("$here/postgres.sh" start "$cluster")
COUNTERSIGN_TEST_POSTGRES_DATA="$cluster/data"
export COUNTERSIGN_TEST_POSTGRES_URL COUNTERSIGN_TEST_POSTGRES_DATA
echo "PostgreSQL test cluster: $COUNTERSIGN_TEST_POSTGRES_URL"
"$@"
