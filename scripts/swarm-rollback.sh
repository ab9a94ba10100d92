#!/usr/bin/env bash
# Rolls services of the Notes stack back to their previous spec (image, config, secrets).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-rollback.sh [--stack NAME] [SERVICE...]

Run on a manager node. Without SERVICE, rolls back the application services (proxy, svc-notes,
svc-userauth) one after the other with `docker service rollback`, which returns each to its
previous spec using the stack's rollback_config (start-first, one task at a time). Name services
(e.g. svc-notes) to roll back only those. The databases and Redis are only rolled back when named,
and migrations are never undone: schema changes are backward compatible by rule
(compose-swarm/README.md, Rolling back).

After a rollback, put the previous TAG back into compose-swarm/stack.env, or the next
scripts/swarm-deploy.sh will roll forward again.

Options:
  --stack NAME   stack name (default: $STACK_NAME, else "notes")
  -h, --help     this help
USAGE
}

die() { printf 'swarm-rollback: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-rollback: %s\n' "$*"; }

stack=${STACK_NAME:-notes}
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) [ $# -ge 2 ] || die "--stack needs a name"; stack=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) services+=("$1"); shift ;;
  esac
done
[ "${#services[@]}" -gt 0 ] || services=(proxy svc-userauth svc-notes)
command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"

for svc in "${services[@]}"; do
  full="${stack}_$svc"
  docker service inspect "$full" >/dev/null 2>&1 || die "no service $full"
  before=$(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$full")
  previous=$(docker service inspect --format '{{if .PreviousSpec}}{{.PreviousSpec.TaskTemplate.ContainerSpec.Image}}{{end}}' "$full")
  [ -n "$previous" ] || { log "$full has no previous spec, skipped"; continue; }
  log "$full: ${before%@*} -> ${previous%@*}"
  docker service rollback "$full"
done
log "done; check with scripts/swarm-status.sh"
