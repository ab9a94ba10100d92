#!/usr/bin/env bash
# Restart services of the stack and wait until it is healthy again.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/restart.sh [SERVICE...]

Restarts the given services (default: svc-userauth svc-notes; e.g. redis, db-notes) of the
compose-local stack, then waits until every container is healthy (up to 180 s).
  -h, --help  this text
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) echo "restart: unknown option: $1 (see --help)" >&2; exit 2 ;; esac

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
[ $# -gt 0 ] || set -- svc-userauth svc-notes
[ -n "$(project_containers)" ] || die "the stack is not running (scripts/deploy.sh starts it)"
say "restarting $*"
compose restart "$@"
wait_healthy 180
compose ps
