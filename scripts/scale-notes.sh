#!/usr/bin/env bash
# Run N replicas of svc-notes (they share sessions and live events through Redis).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/scale-notes.sh N

Runs N replicas of svc-notes in the compose-local stack and waits until they are healthy.
The replicas share sessions and Socket.IO events through Redis, so any of them can serve any
request. A fixed host port can only be published by one container: for N > 1 set NOTES_PORT=0
(or 127.0.0.1:0) in compose-local/.env; every replica then gets a free host port (listed at
the end) for a layer-4 load balancer in front. N = 1 goes back to one replica.
  -h, --help  this text
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
[ $# -eq 1 ] || { usage >&2; exit 2; }
n="$1"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "scale-notes: N must be a whole number >= 1, not '$n'" >&2; exit 2; }

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine

# NOTES_PORT as compose will see it: the environment first, then the env file, then 3000.
env_file="${NOTES_ENV_FILE:-$COMPOSE_DIR/.env}"
if [ -n "${NOTES_PORT:-}" ]; then
  port="$NOTES_PORT"
elif [ -f "$env_file" ] && grep -q '^NOTES_PORT=.' "$env_file"; then
  port="$(sed -n 's/^NOTES_PORT=//p' "$env_file" | tail -n 1)"
else
  port=3000
fi
if [ "$n" -gt 1 ] && [ "${port##*:}" != 0 ]; then
  die "NOTES_PORT=$port is a fixed host port, which only one replica can publish; set NOTES_PORT=0 (or 127.0.0.1:0) in compose-local/.env for N > 1 (see --help)"
fi

say "scaling svc-notes to $n"
compose up -d --no-build --no-recreate --scale "svc-notes=$n" svc-notes
wait_healthy 240
for id in $(project_containers --filter label=com.docker.compose.service=svc-notes); do
  say "replica $(docker inspect --format '{{.Name}}' "$id" | sed 's#^/##'): $(docker port "$id" 3000/tcp | head -n 1)"
done
