#!/usr/bin/env bash
# Writes the secret files of compose-local (compose-local/secrets/), with strong random values.
# Existing files are kept (so a running stack keeps working) unless --force is given. The folder's
# contents are git-ignored and readable by its owner only. The stack's one-shot secrets-init
# service runs this same script on every start, then gives each container only its own files.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/gen-secrets.sh [--force] [--dir DIR]

Creates compose-local/secrets/ (mode 0700) with one file per credential:
  db_userauth_root_password  db_userauth_password   userauth_api_keys  userauth_admin_api_key
  db_notes_root_password     db_notes_password      redis_password     notes_redis_url
  notes_session_secret       notes_userauth_api_key userauth_mfa_key
Values are random (alphanumeric, 32-64 characters). Files that exist are left as they are.
Optional: `docker compose up` runs this by itself on first start (service secrets-init); run it
on the host first to have the files owned by you from the start.

  --force    regenerate every file (the databases keep their old passwords: only for a new stack,
             after `docker compose down -v`)
  --dir DIR  write to DIR instead of compose-local/secrets (or $NOTES_SECRETS_DIR)
  -h, --help this text
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${NOTES_SECRETS_DIR:-$root/compose-local/secrets}"
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --dir) [ $# -ge 2 ] || { echo "gen-secrets: --dir needs a value" >&2; exit 2; }; dir="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gen-secrets: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

random() { # random alphanumeric string of length $1 (safe inside URLs and SQL)
  local out=''
  while [ "${#out}" -lt "$1" ]; do
    out+="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1" || true)"
  done
  printf '%s' "${out:0:$1}"
}

umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

# The files are bind-mounted into the containers, whose services run as other users (node,
# mysql, redis), so they are world-readable inside; the 0700 folder keeps them private on the host.
write() { # write NAME VALUE
  local file="$dir/$1"
  if [ -s "$file" ] && [ "$force" = 0 ]; then
    echo "gen-secrets: keeping $1"
    return
  fi
  printf '%s\n' "$2" >"$file.tmp"
  chmod 0644 "$file.tmp"
  mv -f "$file.tmp" "$file"
  echo "gen-secrets: wrote $1"
}
value() { sed -n '1p' "$dir/$1"; }

write db_userauth_root_password "$(random 40)"
write db_userauth_password "$(random 40)"
write db_notes_root_password "$(random 40)"
write db_notes_password "$(random 40)"
write redis_password "$(random 48)"
write notes_session_secret "$(random 64)"
write notes_userauth_api_key "notes:$(random 48)"
write userauth_admin_api_key "admin:$(random 48)"
# Seals the TOTP secrets: a new value makes every enrolled second factor unreadable (reset-mfa).
write userauth_mfa_key "$(random 64)"

# Derived files: rewritten whenever they disagree with their sources.
derive() { # derive NAME VALUE
  if [ ! -s "$dir/$1" ] || [ "$(value "$1")" != "$2" ]; then
    force=1 write "$1" "$2"
  else
    echo "gen-secrets: keeping $1"
  fi
}
derive userauth_api_keys "$(value notes_userauth_api_key),$(value userauth_admin_api_key)"
derive notes_redis_url "redis://:$(value redis_password)@redis:6379"

echo "gen-secrets: secrets are in $dir (never commit them)"
