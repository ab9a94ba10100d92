#!/usr/bin/env bash
# Build the images, run the migrations, start (or update) the stack, wait until it is healthy.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy.sh [--no-build] [--timeout SECONDS]

Deploys compose-local: writes any missing secret (scripts/gen-secrets.sh; existing ones are kept),
builds notes/svc-userauth and notes/svc-notes (tag $TAG, default local), starts the databases and Redis, runs the migrations (the one-shot migrate-userauth and
migrate-notes containers; the apps start only after they succeeded), starts svc-userauth and
svc-notes, waits until every container is healthy and shows the status.
Run it again after `git pull` to upgrade: changed images are rebuilt, migrated and recreated.
It is `docker compose up -d` plus the build and the wait; profiles in COMPOSE_PROFILES (e.g.
edge,monitoring in compose-local/.env) start too.

  --no-build         use the images as they are (e.g. built elsewhere with the same TAG)
  --timeout SECONDS  how long to wait for health (default 240)
  -h, --help         this text
Environment: NOTES_COMPOSE_PROJECT (default notes), NOTES_ENV_FILE (default compose-local/.env),
NOTES_SECRETS_DIR (default compose-local/secrets).
USAGE
}

build=1 timeout=240
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --timeout) [ $# -ge 2 ] || { echo "deploy: --timeout needs a value" >&2; exit 2; }; timeout="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
# On the host, so the files belong to the operator (secrets-init would create them as root).
bash "$NOTES_ROOT/scripts/gen-secrets.sh" --dir "$(secrets_dir)" >/dev/null

if [ "$build" = 1 ]; then
  say "building images"
  compose build svc-userauth svc-notes
fi
say "starting the stack (migrations run before the apps start)"
compose up -d --no-build
say "waiting for health (up to ${timeout}s)"
wait_healthy "$timeout"
compose ps
say "healthy; svc-notes is published on $(docker port "$(container_of svc-notes)" 3000/tcp 2>/dev/null | head -n 1 || echo '?')"
