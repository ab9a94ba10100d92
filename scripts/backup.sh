#!/usr/bin/env bash
# Back up both databases and Redis of the running stack into a timestamped folder.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/backup.sh [--dir DIR] [--keep N]

Writes DIR/<UTC timestamp>/ (DIR defaults to backups/ in the repository, which git ignores):
  db-userauth.sql.gz  mariadb-dump of the userauth database (consistent: --single-transaction)
  db-notes.sql.gz     mariadb-dump of the notes database
  redis.rdb           a Redis snapshot (sessions), taken with redis-cli --rdb
  SHA256SUMS
The stack keeps running. Then, in this order:
  - NOTES_BACKUP_COPY_CMD, when set, runs with the new folder as $1 (and in $NOTES_BACKUP_DIR),
    to copy it off this host, e.g. 'rsync -a "$1" backup@vault:notes/' or 'rclone copy ...';
    if it fails, the backup counts as failed (exit 1) and nothing is pruned;
  - --keep N removes all but the N newest backup folders in DIR (only folders named like
    20250101T020000Z that hold a SHA256SUMS; never the one just written);
  - DIR/last-success.prom records the time (Prometheus text, for node_exporter's textfile
    collector; the NotesBackupStale alert and scripts/check-health.sh --backup-max-age read it).
Prints the folder's path on the last line. Restore with scripts/restore.sh <folder>.
For cron (daily at 02:30, keep two weeks):
  30 2 * * * cd /srv/notes && bash scripts/backup.sh --keep 14 >>backups/backup.log 2>&1
  --keep N    keep the N newest backups (N >= 1); default: keep all
  -h, --help  this text
USAGE
}

base='' keep=''
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || { echo "backup: --dir needs a value" >&2; exit 2; }; base="$2"; shift ;;
    --keep)
      [ $# -ge 2 ] || { echo "backup: --keep needs a value" >&2; exit 2; }
      keep="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=scripts/_backup-rotate.sh
. "$(dirname "${BASH_SOURCE[0]}")/_backup-rotate.sh"
[ -z "$keep" ] || SCRIPT_NAME=backup backup_keep_arg "$keep"
# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
require_engine
base="${base:-$NOTES_ROOT/backups}"

db_userauth=$(container_of db-userauth); db_notes=$(container_of db-notes); redis=$(container_of redis)
if [ -z "$db_userauth" ] || [ -z "$db_notes" ] || [ -z "$redis" ]; then
  die "db-userauth, db-notes and redis must be running (scripts/deploy.sh starts them)"
fi

umask 077
out="$base/$(date -u +%Y%m%dT%H%M%SZ)"
[ ! -e "$out" ] || die "$out exists already"
mkdir -p "$out"
cleanup() { if [ "$1" -ne 0 ]; then rm -rf "$out"; echo "backup: failed, removed the incomplete $out" >&2; fi; }
trap 'cleanup "$?"' EXIT

dump() { # dump CONTAINER DATABASE ROOT_SECRET FILE
  say "dumping database $2"
  # The root password is read inside the container from its secret: never on the host's command line.
  docker exec "$1" sh -c 'MYSQL_PWD="$(cat "/run/secrets/$1")" exec mariadb-dump -uroot --protocol=socket \
      --single-transaction --quick --routines --triggers --events --hex-blob \
      --default-character-set=utf8mb4 --add-drop-database --databases "$2"' dump "$3" "$2" |
    gzip -9 >"$4"
  gzip -dc "$4" | tail -n 1 | grep -q 'Dump completed' || die "the dump of $2 is incomplete"
}
dump "$db_userauth" userauth db_userauth_root_password "$out/db-userauth.sql.gz"
dump "$db_notes" notes db_notes_root_password "$out/db-notes.sql.gz"

say "snapshotting redis"
docker exec "$redis" sh -c 'f=$(mktemp) && REDISCLI_AUTH="$(cat /run/secrets/redis_password)" redis-cli --rdb "$f" >/dev/null 2>&1 && cat "$f" && rm -f "$f"' >"$out/redis.rdb"
head -c 5 "$out/redis.rdb" | grep -q REDIS || die "the redis snapshot is not an RDB file"

(cd "$out" && sha256sum db-userauth.sql.gz db-notes.sql.gz redis.rdb >SHA256SUMS)
say "backup complete: $(du -sh "$out" | cut -f1)"

# Off the host first: a backup that did not leave the host prunes nothing.
backup_copy_off "$out" || { trap - EXIT; exit 1; }
backup_prune "$base" "$keep" "$out"
backup_record "$base"
echo "$out"
