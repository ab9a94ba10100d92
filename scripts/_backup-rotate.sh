#!/usr/bin/env bash
# Shared by scripts/backup.sh and scripts/swarm-backup.sh (sourced, never run): what happens to a
# finished backup folder. Each function fails with one line on stderr.

# backup_copy_off DIR: runs NOTES_BACKUP_COPY_CMD (when set) with DIR as $1 and $NOTES_BACKUP_DIR.
backup_copy_off() {
  [ -n "${NOTES_BACKUP_COPY_CMD:-}" ] || return 0
  echo "${SCRIPT_NAME:-backup}: copying off the host (NOTES_BACKUP_COPY_CMD)"
  local rc=0
  NOTES_BACKUP_DIR="$1" bash -c "$NOTES_BACKUP_COPY_CMD" copy "$1" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "${SCRIPT_NAME:-backup}: error: NOTES_BACKUP_COPY_CMD failed (exit $rc); $1 is kept, nothing pruned" >&2
    return 1
  fi
}

# backup_prune BASE KEEP NEW: removes all but the KEEP newest backup folders of BASE (named like
# 20250101T020000Z and holding a SHA256SUMS, so nothing else is ever touched), never NEW.
backup_prune() {
  local base="$1" keep="$2" new="$3" dir
  [ -n "$keep" ] || return 0
  while IFS= read -r dir; do
    [ -n "$dir" ] && [ "$dir" != "$new" ] || continue
    rm -rf -- "$dir"
    echo "${SCRIPT_NAME:-backup}: pruned $dir"
  done < <(find "$base" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T[0-9]*Z' \
    -exec test -f '{}/SHA256SUMS' ';' -print | sort -r | tail -n +"$((keep + 1))")
}

# backup_record BASE: BASE/last-success.prom, the time of this success in Prometheus text format
# (node_exporter's textfile collector; the NotesBackupStale alert; check-health.sh --backup-max-age).
backup_record() {
  local file="$1/last-success.prom"
  printf '# HELP notes_backup_last_success_timestamp_seconds When the last backup of Notes completed.\n# TYPE notes_backup_last_success_timestamp_seconds gauge\nnotes_backup_last_success_timestamp_seconds %s\n' \
    "$(date +%s)" >"$file.tmp"
  chmod 0644 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# backup_keep_arg VALUE: validates a --keep value (exit 2 with a message otherwise).
backup_keep_arg() {
  [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "${SCRIPT_NAME:-backup}: --keep must be a whole number >= 1, not '$1'" >&2; exit 2; }
}
