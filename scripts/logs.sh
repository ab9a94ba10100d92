#!/usr/bin/env bash
# Show the logs of the stack's containers.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/logs.sh [-f] [--tail N] [SERVICE...]

Prints the logs of the given services (default: all) of the compose-local stack.
  -f, --follow  keep following
  --tail N      only the last N lines of each (default: 200)
  -h, --help    this text
Services: secrets-init db-userauth migrate-userauth svc-userauth db-notes redis migrate-notes svc-notes
(and edge, prometheus with their profiles)
USAGE
}

follow=() tail=200
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    -f|--follow) follow=(-f) ;;
    --tail) [ $# -ge 2 ] || { echo "logs: --tail needs a value" >&2; exit 2; }; tail="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "logs: unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) services+=("$1") ;;
  esac
  shift
done

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
[[ "$tail" =~ ^([0-9]+|all)$ ]] || die "--tail must be a number or all, not '$tail'"
[ -n "$(project_containers -a)" ] || die "project '$PROJECT' has no containers (scripts/deploy.sh starts the stack)"
compose logs --no-color "${follow[@]}" --tail "$tail" "${services[@]}"
