#!/usr/bin/env bash
# The one-shot secrets-init service of docker-compose.yml (runs as root in the svc-userauth image):
#  1. scripts/gen-secrets.sh writes every credential that is missing into the secrets folder of
#     the host (./secrets or $NOTES_SECRETS_DIR, mounted at /secrets); existing files are kept, so
#     `docker compose up` of a fresh clone works and a running stack keeps its passwords;
#  2. hands each container only its own credentials: one small named volume per consumer, mounted
#     read-only at /run/secrets, rewritten from the folder on every start (edit a file there and
#     `docker compose up -d` again to change it). App files belong to node (uid 1000), mode 0400;
#     the database and Redis images read theirs as their own user, whose uid differs between
#     images, so theirs are 0444 in a volume no other container mounts.
set -euo pipefail

bash /opt/notes/gen-secrets.sh --dir /secrets | sed 's/^gen-secrets: /secrets-init: /'
# New files belong to whoever owns the folder on the host (not root), so that scripts/gen-secrets.sh
# and the operator can still read and update them there.
chown "$(stat -c %u:%g /secrets)" /secrets/* 2>/dev/null || true

put() { # put VOLUME OWNER MODE NAME...
  local volume="/out/$1" owner="$2" mode="$3"
  shift 3
  chmod 0755 "$volume"
  for name in "$@"; do
    install -o "${owner%:*}" -g "${owner#*:}" -m "$mode" "/secrets/$name" "$volume/.$name.tmp"
    mv -f "$volume/.$name.tmp" "$volume/$name"
  done
}
put db-userauth 0:0 0444 db_userauth_root_password db_userauth_password
put userauth 1000:1000 0400 db_userauth_password userauth_api_keys userauth_admin_api_key userauth_mfa_key
put db-notes 0:0 0444 db_notes_root_password db_notes_password
put redis 0:0 0444 redis_password
put notes 1000:1000 0400 db_notes_password notes_redis_url notes_session_secret notes_userauth_api_key
echo "secrets-init: each container's credentials are in place"
