#!/usr/bin/env bash
# Shared by the operator scripts (sourced, never run): how to call compose for compose-local.
#   NOTES_COMPOSE_PROJECT  compose project name (default: notes)
#   NOTES_ENV_FILE         env file (default: compose-local/.env when it exists)
# The docker CLI talks to whatever engine DOCKER_HOST (or the default socket) names.

NOTES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE_DIR="$NOTES_ROOT/compose-local"
COMPOSE_FILE_PATH="$COMPOSE_DIR/docker-compose.yml"
PROJECT="${NOTES_COMPOSE_PROJECT:-notes}"
SCRIPT_NAME="$(basename "$0" .sh)"

die() { printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*"; }

# On any unexpected failure, say where instead of dying silently.
on_error() { printf '%s: failed (exit %s) at line %s: %s\n' "$SCRIPT_NAME" "$1" "$2" "$3" >&2; }
trap 'on_error "$?" "$LINENO" "$BASH_COMMAND"' ERR

command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"

if docker compose version >/dev/null 2>&1; then
  COMPOSE_CMD=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE_CMD=(docker-compose)
else
  die "neither 'docker compose' nor 'docker-compose' is available"
fi

compose() {
  local args=(-p "$PROJECT" -f "$COMPOSE_FILE_PATH" --project-directory "$COMPOSE_DIR")
  local env_file="${NOTES_ENV_FILE:-$COMPOSE_DIR/.env}"
  if [ -f "$env_file" ]; then args+=(--env-file "$env_file"); fi
  "${COMPOSE_CMD[@]}" "${args[@]}" "$@"
}

require_engine() {
  docker info >/dev/null 2>&1 || die "no Docker engine reachable (DOCKER_HOST=${DOCKER_HOST:-default socket})"
}

secrets_dir() { printf '%s' "${NOTES_SECRETS_DIR:-$COMPOSE_DIR/secrets}"; }

# Container ids by compose's labels (much faster than `compose ps`, same for Compose v1 and v2).
project_containers() { # [-a]: also stopped ones; one-off `run` containers are left out
  docker ps -q --no-trunc "$@" --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.oneoff=False"
}
# Id of the (first) running container of a service, or nothing.
container_of() {
  docker ps -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" --filter "label=com.docker.compose.oneoff=False" |
    head -n 1
}

# Waits until every container of the project is running and healthy (those with a health check)
# or has exited 0 (the one-shot migrate-* services). Fails after $1 seconds (default 180).
# True when the app in container $1 answers 200 on /readyz (its own port, from inside).
app_ready() {
  docker exec "$1" node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" >/dev/null 2>&1
}

wait_healthy() {
  local timeout="${1:-180}" start now ids id state bad detail name status code health
  start=$(date +%s)
  while :; do
    ids=$(project_containers -a)
    bad=0; detail=''
    for id in $ids; do
      state=$(docker inspect --format '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id" 2>/dev/null || echo "? gone 0 none")
      read -r name status code health <<<"$state"
      name="${name#/}"
      case "$status:$health" in
        running:healthy|running:none) ;;
        exited:*) [ "$code" = 0 ] || { detail+=" $name(exited $code)"; bad=2; } ;;
        *) detail+=" $name($status/$health)"; [ "$bad" = 2 ] || bad=1 ;;
      esac
    done
    [ -n "$ids" ] || { bad=1; detail=' (no containers)'; }
    # Container health is liveness only (/healthz): "ready" also needs each app's /readyz
    # (database, Redis, svc-userauth reachable), so that the first request after a deploy,
    # restart, restore or scale finds its stores answering.
    if [ "$bad" = 0 ]; then
      for id in $(project_containers --filter label=com.docker.compose.service=svc-userauth) \
        $(project_containers --filter label=com.docker.compose.service=svc-notes); do
        app_ready "$id" || { detail+=" $(docker inspect --format '{{.Name}}' "$id" | sed 's,^/,,')(not ready)"; bad=1; }
      done
    fi
    [ "$bad" = 0 ] && return 0
    if [ "$bad" = 2 ]; then die "a one-shot container failed:$detail (see scripts/logs.sh)"; fi
    now=$(date +%s)
    if [ $((now - start)) -ge "$timeout" ]; then
      die "not healthy after ${timeout}s:$detail (see scripts/logs.sh)"
    fi
    sleep 2
  done
}
