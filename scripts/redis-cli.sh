#!/usr/bin/env bash
# redis-cli inside the redis container, authenticated with the password secret.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/redis-cli.sh [REDIS-CLI ARGS...]

Runs redis-cli in the redis container of the compose-local stack, authenticated from the
redis_password secret (the password never appears on a command line). Without arguments it is
interactive. Examples:
  scripts/redis-cli.sh ping
  scripts/redis-cli.sh --scan --pattern 'sess:*'
  -h, --help  this text (use `scripts/redis-cli.sh -- --help` for redis-cli's own help)
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; --) shift ;; esac

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
[ -n "$(container_of redis)" ] || die "the redis container is not running (scripts/deploy.sh starts it)"
tty=(-T); if [ -t 0 ] && [ -t 1 ]; then tty=(); fi
# shellcheck disable=SC2016 # $(...) and $@ are expanded inside the container
compose exec "${tty[@]}" redis sh -c 'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" exec redis-cli "$@"' redis-cli "$@"
