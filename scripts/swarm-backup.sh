#!/usr/bin/env bash
# Backs up both databases and Redis of the Notes stack on Docker Swarm into a timestamped folder.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-backup.sh [--stack NAME] [--dir DIR] [--keep N]

Run on a manager node. Writes DIR/<UTC timestamp>/ (DIR defaults to backups/ in the repository)
with the same files as scripts/backup.sh, so either restore script reads it:
  db-userauth.sql.gz  db-notes.sql.gz  redis.rdb  SHA256SUMS
Each dump runs inside the store's own container (mariadb-dump --single-transaction, redis-cli
--rdb), with the root password read there from its secret: never on a command line. A store on
another node is reached with docker over SSH (docker -H ssh://[NOTES_SWARM_SSH_USER@]NODE).
The stack keeps running. Then NOTES_BACKUP_COPY_CMD (off-host copy, $1 = the folder), --keep N
(prune all but the N newest) and DIR/last-success.prom, exactly as scripts/backup.sh.
For cron on the manager (daily at 02:30, keep two weeks):
  30 2 * * * cd /srv/notes && bash scripts/swarm-backup.sh --keep 14 >>backups/backup.log 2>&1
Restore with scripts/swarm-restore.sh <folder>.

Options:
  --stack NAME  stack name (default: $STACK_NAME, else "notes")
  --dir DIR     where the backup folders go (default: backups/ in the repository)
  --keep N      keep the N newest backups (N >= 1); default: keep all
  -h, --help    this help
USAGE
}

SCRIPT_NAME=swarm-backup
die() { printf 'swarm-backup: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-backup: %s\n' "$*"; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/_backup-rotate.sh
. "$root/scripts/_backup-rotate.sh"
# shellcheck source=scripts/_swarm-stores.sh
. "$root/scripts/_swarm-stores.sh"

stack=${STACK_NAME:-notes} base="$root/backups" keep=''
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) [ $# -ge 2 ] || die "--stack needs a name"; stack=$2; shift 2 ;;
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; base=$2; shift 2 ;;
    --keep) [ $# -ge 2 ] || die "--keep needs a number"; backup_keep_arg "$2"; keep=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"

umask 077
out="$base/$(date -u +%Y%m%dT%H%M%SZ)"
[ ! -e "$out" ] || die "$out exists already"
mkdir -p "$out"
cleanup() { if [ "$1" -ne 0 ]; then rm -rf "$out"; echo "swarm-backup: failed, removed the incomplete $out" >&2; fi; }
trap 'cleanup "$?"' EXIT

dump() { # dump SERVICE DATABASE ROOT_SECRET FILE
  store_locate "$1"
  log "dumping database $2 ($1)"
  # shellcheck disable=SC2016 # expanded inside the container
  "${STORE_DOCKER[@]}" exec "$STORE_CONTAINER" sh -c 'MYSQL_PWD="$(cat "/run/secrets/$1")" exec mariadb-dump -uroot --protocol=socket \
      --single-transaction --quick --routines --triggers --events --hex-blob \
      --default-character-set=utf8mb4 --add-drop-database --databases "$2"' dump "$3" "$2" |
    gzip -9 >"$4"
  gzip -dc "$4" | tail -n 1 | grep -q 'Dump completed' || die "the dump of $2 is incomplete"
}
dump db-userauth userauth db_userauth_root_password "$out/db-userauth.sql.gz"
dump db-notes notes db_notes_root_password "$out/db-notes.sql.gz"

store_locate redis
log "snapshotting redis"
# shellcheck disable=SC2016 # expanded inside the container
"${STORE_DOCKER[@]}" exec "$STORE_CONTAINER" sh -c 'f=$(mktemp) && REDISCLI_AUTH="$(sed -n "s/^requirepass //p" /run/secrets/redis.conf)" redis-cli --rdb "$f" >/dev/null 2>&1 && cat "$f" && rm -f "$f"' >"$out/redis.rdb"
head -c 5 "$out/redis.rdb" | grep -q REDIS || die "the redis snapshot is not an RDB file"

(cd "$out" && sha256sum db-userauth.sql.gz db-notes.sql.gz redis.rdb >SHA256SUMS)
log "backup complete: $(du -sh "$out" | cut -f1)"
backup_copy_off "$out" || { trap - EXIT; exit 1; }
backup_prune "$base" "$keep" "$out"
backup_record "$base"
echo "$out"
