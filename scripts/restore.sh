#!/usr/bin/env bash
# Restore both databases and Redis from a folder written by scripts/backup.sh.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/restore.sh [--yes] BACKUP_DIR

Replaces the data of the running stack with BACKUP_DIR (from scripts/backup.sh):
  1. checks SHA256SUMS;
  2. stops svc-notes and svc-userauth (no writes during the restore);
  3. loads db-userauth.sql.gz and db-notes.sql.gz (each database is dropped and recreated);
  4. stops redis, replaces its data with redis.rdb (rewritten as its append-only file);
  5. starts everything again (the migrations run, so an older backup is brought up to date)
     and waits until the stack is healthy.
The databases and Redis must be running (after `down -v`, run scripts/deploy.sh first).
  --yes       do not ask for confirmation (required when no terminal is attached)
  -h, --help  this text
USAGE
}

yes=0 src=''
while [ $# -gt 0 ]; do
  case "$1" in
    --yes|-y) yes=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "restore: unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$src" ] || { echo "restore: only one BACKUP_DIR" >&2; exit 2; }; src="$1" ;;
  esac
  shift
done
[ -n "$src" ] || { usage >&2; exit 2; }

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine

[ -d "$src" ] || die "no such backup folder: $src"
src="$(cd "$src" && pwd)"
for f in db-userauth.sql.gz db-notes.sql.gz redis.rdb SHA256SUMS; do
  [ -s "$src/$f" ] || die "$src/$f is missing or empty"
done
(cd "$src" && sha256sum --quiet -c SHA256SUMS) || die "checksums do not match in $src"

db_userauth=$(container_of db-userauth); db_notes=$(container_of db-notes); redis=$(container_of redis)
if [ -z "$db_userauth" ] || [ -z "$db_notes" ] || [ -z "$redis" ]; then
  die "db-userauth, db-notes and redis must be running (run scripts/deploy.sh first)"
fi

if [ "$yes" != 1 ]; then
  [ -t 0 ] || die "refusing to overwrite data without --yes (no terminal to ask)"
  read -r -p "Replace ALL data of project '$PROJECT' with $src? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) die "cancelled" ;; esac
fi

say "stopping svc-notes and svc-userauth"
compose stop svc-notes svc-userauth

load() { # load CONTAINER ROOT_SECRET FILE
  say "loading $(basename "$3")"
  gzip -dc "$3" | docker exec -i "$1" sh -c \
    'MYSQL_PWD="$(cat "/run/secrets/$1")" exec mariadb -uroot --protocol=socket --default-character-set=utf8mb4' load "$2"
}
load "$db_userauth" db_userauth_root_password "$src/db-userauth.sql.gz"
load "$db_notes" db_notes_root_password "$src/db-notes.sql.gz"

say "restoring redis"
image=$(docker inspect --format '{{.Config.Image}}' "$redis")
volume=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}}{{end}}{{end}}' "$redis")
[ -n "$volume" ] || die "cannot find the redis data volume"
compose stop redis
# In a one-off container on the same volume (scripts/_redis-load-rdb.sh says how).
docker run --rm -i --network none -v "$volume:/data" --entrypoint /bin/sh "$image" \
  -c "$(cat "$NOTES_ROOT/scripts/_redis-load-rdb.sh")" <"$src/redis.rdb"

say "starting the stack again"
compose up -d --no-build
wait_healthy 240
say "restored from $src"
