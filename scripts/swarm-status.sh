#!/usr/bin/env bash
# Shows the state of the Notes stack: services, tasks that are not running, jobs, update status.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-status.sh [--stack NAME] [--logs SERVICE] [-h|--help]

Run on a manager node. Prints the stack's services with their replicas and images, every task
that is not running as desired (with its error), the migration jobs, and the update state of
each service (updating, paused, rollback_completed ...). Exits non-zero when a replicated service
lacks replicas or an update is paused or rolled back.

Options:
  --stack NAME     stack name (default: $STACK_NAME, else "notes")
  --logs SERVICE   also show the last 100 log lines of one service (e.g. svc-notes)
USAGE
}

die() { printf 'swarm-status: %s\n' "$*" >&2; exit 1; }

stack=${STACK_NAME:-notes}
logs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) [ $# -ge 2 ] || die "--stack needs a name"; stack=$2; shift 2 ;;
    --logs) [ $# -ge 2 ] || die "--logs needs a service"; logs=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"
docker stack ls --format '{{.Name}}' | grep -qx "$stack" || die "no stack named $stack on this swarm"

status=0
echo "== services"
docker stack services "$stack" --format 'table {{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}'

echo
echo "== update state"
while IFS= read -r svc; do
  state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}: {{.UpdateStatus.Message}}{{else}}-{{end}}' "$svc")
  printf '%-32s %s\n' "$svc" "$state"
  case "$state" in paused*|rollback_*) status=1 ;; esac
done < <(docker stack services "$stack" --format '{{.Name}}' | sort)

echo
echo "== tasks not in their desired state"
docker stack ps "$stack" --no-trunc --format '{{.Name}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}' \
  | awk -F'\t' '!($3 == "Running" && $4 ~ /^Running/) && !($3 == "Shutdown" && $4 ~ /^(Shutdown|Complete)/) && !($4 ~ /^Complete/)' \
  | head -n 40 || true

pending=$(docker stack services "$stack" --format '{{.Name}}|{{.Mode}}|{{.Replicas}}' \
  | awk -F'|' '$2 == "replicated" { split($3, r, "/"); if (r[1] != r[2]) print $1 " " $3 }')
if [ -n "$pending" ]; then
  echo
  echo "== services short of replicas"
  printf '%s\n' "$pending"
  status=1
fi

if [ -n "$logs" ]; then
  echo
  echo "== last log lines of ${stack}_$logs"
  docker service logs --tail 100 --timestamps "${stack}_$logs" 2>&1 || true
fi
exit "$status"
