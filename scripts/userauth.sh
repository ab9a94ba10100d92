#!/usr/bin/env bash
# The userauth admin CLI, run inside the svc-userauth container.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/userauth.sh COMMAND [ARGS...]

Runs the `userauth` admin CLI inside the svc-userauth container of the compose-local stack
(it talks to the service on 127.0.0.1 with the admin API key secret). Examples:
  scripts/userauth.sh add alice --password 'a long passphrase' --email alice@example.org
  scripts/userauth.sh add alice            # prompts for the password (needs a terminal)
  scripts/userauth.sh list
  scripts/userauth.sh password-check alice 'a long passphrase'
Commands: add, find-or-create, find, list, update, destroy, password-check (`userauth --help`).
  -h, --help  this text (`scripts/userauth.sh -- --help` shows the CLI's own help)
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; '') usage >&2; exit 2 ;; --) shift ;; esac

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
[ -n "$(container_of svc-userauth)" ] || die "the svc-userauth container is not running (scripts/deploy.sh starts it)"
tty=(-T); if [ -t 0 ] && [ -t 1 ]; then tty=(); fi
compose exec "${tty[@]}" svc-userauth userauth "$@"
