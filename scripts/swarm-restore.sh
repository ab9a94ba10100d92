#!/usr/bin/env bash
# Restores both databases and Redis of the Notes stack on Docker Swarm from a backup folder.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-restore.sh [--stack NAME] [--yes] BACKUP_DIR

Run on a manager node. Replaces the data of the running stack with BACKUP_DIR (written by
scripts/swarm-backup.sh or scripts/backup.sh):
  1. checks SHA256SUMS;
  2. scales svc-notes and svc-userauth to 0 (no writes during the restore), noting their replicas;
  3. loads db-userauth.sql.gz and db-notes.sql.gz into the running databases (each database is
     dropped and recreated; mariadb as root inside the container, the password read there);
  4. scales redis to 0, loads redis.rdb into its volume in a one-off container on redis' node,
     scales it back to 1;
  5. scales svc-userauth and svc-notes back (the next scripts/swarm-deploy.sh runs the
     migrations, which bring an older backup up to date).
Stores on other nodes are reached with docker over SSH (docker -H ssh://[NOTES_SWARM_SSH_USER@]NODE).

Options:
  --stack NAME  stack name (default: $STACK_NAME, else "notes")
  --yes         do not ask for confirmation (required when no terminal is attached)
  -h, --help    this help
USAGE
}

SCRIPT_NAME=swarm-restore
die() { printf 'swarm-restore: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-restore: %s\n' "$*"; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/_swarm-stores.sh
. "$root/scripts/_swarm-stores.sh"

stack=${STACK_NAME:-notes} yes=0 src=''
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) [ $# -ge 2 ] || die "--stack needs a name"; stack=$2; shift 2 ;;
    --yes|-y) yes=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [ -z "$src" ] || die "only one BACKUP_DIR"; src=$1; shift ;;
  esac
done
[ -n "$src" ] || { usage >&2; exit 2; }
command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"
[ -d "$src" ] || die "no such backup folder: $src"
src="$(cd "$src" && pwd)"
for f in db-userauth.sql.gz db-notes.sql.gz redis.rdb SHA256SUMS; do
  [ -s "$src/$f" ] || die "$src/$f is missing or empty"
done
(cd "$src" && sha256sum --quiet -c SHA256SUMS) || die "checksums do not match in $src"

if [ "$yes" != 1 ]; then
  [ -t 0 ] || die "refusing to overwrite data without --yes (no terminal to ask)"
  read -r -p "Replace ALL data of stack '$stack' with $src? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) die "cancelled" ;; esac
fi

replicas() { docker service inspect --format '{{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{end}}' "${stack}_$1"; }
notes_n=$(replicas svc-notes); userauth_n=$(replicas svc-userauth)
[ -n "$notes_n" ] && [ -n "$userauth_n" ] || die "stack $stack has no svc-notes/svc-userauth services"
log "scaling svc-notes ($notes_n) and svc-userauth ($userauth_n) to 0"
docker service scale --detach=false "${stack}_svc-notes=0" "${stack}_svc-userauth=0"

load() { # load SERVICE ROOT_SECRET FILE
  store_locate "$1"
  log "loading $(basename "$3") into $1"
  # shellcheck disable=SC2016 # expanded inside the container
  gzip -dc "$3" | "${STORE_DOCKER[@]}" exec -i "$STORE_CONTAINER" sh -c \
    'MYSQL_PWD="$(cat "/run/secrets/$1")" exec mariadb -uroot --protocol=socket --default-character-set=utf8mb4' load "$2"
}
load db-userauth db_userauth_root_password "$src/db-userauth.sql.gz"
load db-notes db_notes_root_password "$src/db-notes.sql.gz"

store_locate redis
image=$(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${stack}_redis")
log "restoring redis"
docker service scale --detach=false "${stack}_redis=0"
"${STORE_DOCKER[@]}" run --rm -i --network none -v "${stack}_redis-data:/data" --entrypoint /bin/sh "$image" \
  -c "$(cat "$root/scripts/_redis-load-rdb.sh")" <"$src/redis.rdb"
docker service scale --detach=false "${stack}_redis=1"

log "scaling svc-userauth back to $userauth_n, svc-notes to $notes_n"
docker service scale --detach=false "${stack}_svc-userauth=$userauth_n"
docker service scale --detach=false "${stack}_svc-notes=$notes_n"
log "restored from $src; check with scripts/swarm-status.sh"
