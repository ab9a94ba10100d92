#!/usr/bin/env bash
# Creates or rotates the Notes stack's swarm secrets (run on a manager node).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-secrets.sh create [--tls-cert FILE --tls-key FILE | --self-signed HOST]
       scripts/swarm-secrets.sh rotate GROUP [--tls-cert FILE --tls-key FILE | --self-signed HOST]
       scripts/swarm-secrets.sh rotate DB-GROUP --from-file FILE
       scripts/swarm-secrets.sh list
       scripts/swarm-secrets.sh -h | --help

Every secret is named notes_<name>_v<N> (swarm secrets are immutable): `create` makes version v1 of
each secret that has no version yet; `rotate` makes the next version of one group and prints the
line(s) to set in compose-swarm/stack.env before running scripts/swarm-deploy.sh, which then rolls
the services that read it. Old versions stay until you remove them (`docker secret rm`) once no
service uses them. Values are random (openssl rand), go to docker on standard input, and are never
printed. A database password must be changed inside the database too, so for the *-db and *-root
groups `rotate` takes the new value from a file you made (--from-file; README: Rotate a secret).

Groups (secrets that must change together):
  tls            tls_cert, tls_key            (certificate files, or --self-signed HOST for a test)
  userauth-api   userauth_api_keys, notes_userauth_api_key, userauth_admin_api_key
                 (keys "notes:<random>" for svc-notes, "admin:<random>" for the CLI)
  redis          redis_conf, notes_redis_url  (one password; redis restarts, stop-first)
  session        notes_session_secret         (logs everybody out)
  mfa            userauth_mfa_key             (seals TOTP secrets: a new one makes every enrolled
                                               second factor unreadable; `userauth reset-mfa` each user)
  userauth-db    userauth_db_password         (see README: ALTER USER first)
  notes-db       notes_db_password            (see README: ALTER USER first)
  userauth-root  db_userauth_root_password    (see README: ALTER USER first)
  notes-root     db_notes_root_password       (see README: ALTER USER first)
USAGE
}

die() { printf 'swarm-secrets: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-secrets: %s\n' "$*"; }

PREFIX=notes
GROUPS_ALL="tls userauth-api redis session mfa userauth-db notes-db userauth-root notes-root"
tls_cert="" tls_key="" self_signed="" from_file=""

members() {
  case "$1" in
    tls) echo "tls_cert tls_key" ;;
    userauth-api) echo "userauth_api_keys notes_userauth_api_key userauth_admin_api_key" ;;
    redis) echo "redis_conf notes_redis_url" ;;
    session) echo "notes_session_secret" ;;
    mfa) echo "userauth_mfa_key" ;;
    userauth-db) echo "userauth_db_password" ;;
    notes-db) echo "notes_db_password" ;;
    userauth-root) echo "db_userauth_root_password" ;;
    notes-root) echo "db_notes_root_password" ;;
    *) die "unknown group: $1 (one of: $GROUPS_ALL)" ;;
  esac
}

# The stack-file variable that selects a secret's version, e.g. notes_session_secret -> NOTES_SESSION_SECRET_V
version_var() { printf '%s_V' "$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')"; }

random() { openssl rand -base64 120 | tr -d '\n/+=' | cut -c1-"${1:-40}"; }

latest_version() {  # highest N of notes_<name>_vN, or 0
  docker secret ls --format '{{.Name}}' \
    | sed -n "s/^${PREFIX}_$1_v\([0-9][0-9]*\)\$/\1/p" | sort -n | tail -n 1 | grep . || echo 0
}

put() {  # put NAME VERSION VALUE: value on stdin, never on a command line
  printf '%s' "$3" | docker secret create --label "org.notes.secret=$1" --label "org.notes.version=v$2" \
    "${PREFIX}_$1_v$2" - >/dev/null
  log "created ${PREFIX}_$1_v$2"
}

make_group() {  # make_group GROUP VERSION
  local group=$1 v=$2 key password
  case "$group" in
    tls)
      local dir
      dir=$(mktemp -d)
      if [ -n "$self_signed" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$self_signed" \
          -addext "subjectAltName=DNS:$self_signed" -keyout "$dir/key" -out "$dir/cert" 2>/dev/null \
          || die "openssl could not make a self-signed certificate"
        tls_cert="$dir/cert" tls_key="$dir/key"
        log "self-signed certificate for $self_signed (browsers will warn; use a real one in production)"
      fi
      [ -n "$tls_cert" ] && [ -n "$tls_key" ] || die "tls needs --tls-cert FILE --tls-key FILE (or --self-signed HOST)"
      [ -r "$tls_cert" ] && [ -r "$tls_key" ] || die "cannot read $tls_cert or $tls_key"
      put tls_cert "$v" "$(cat "$tls_cert")"
      put tls_key "$v" "$(cat "$tls_key")"
      rm -rf "$dir"
      ;;
    userauth-api)
      key="notes:$(random 40)"
      local admin
      admin="admin:$(random 40)"
      put userauth_api_keys "$v" "$key,$admin"
      put notes_userauth_api_key "$v" "$key"
      put userauth_admin_api_key "$v" "$admin"
      ;;
    redis)
      password=$(random 40)
      put redis_conf "$v" "requirepass $password"
      put notes_redis_url "$v" "redis://:$password@redis:6379"
      ;;
    session) put notes_session_secret "$v" "$(random 64)" ;;
    mfa) put userauth_mfa_key "$v" "$(random 64)" ;;
    *)
      if [ -n "$from_file" ]; then
        [ -r "$from_file" ] || die "cannot read $from_file"
        local value
        value=$(tr -d '\n' <"$from_file")
        [ "${#value}" -ge 16 ] || die "the password in $from_file is shorter than 16 characters"
        put "$(members "$group")" "$v" "$value"
      else
        put "$(members "$group")" "$v" "$(random 32)"
      fi
      ;;
  esac
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
cmd=$1; shift
group=""
if [ "$cmd" = rotate ]; then
  [ $# -ge 1 ] || die "rotate needs a group (one of: $GROUPS_ALL)"
  group=$1; shift
  members "$group" >/dev/null
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --tls-cert) [ $# -ge 2 ] || die "--tls-cert needs a file"; tls_cert=$2; shift 2 ;;
    --tls-key) [ $# -ge 2 ] || die "--tls-key needs a file"; tls_key=$2; shift 2 ;;
    --self-signed) [ $# -ge 2 ] || die "--self-signed needs a host name"; self_signed=$2; shift 2 ;;
    --from-file) [ $# -ge 2 ] || die "--from-file needs a file"; from_file=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

case "$cmd" in
  -h|--help) usage; exit 0 ;;
  list)
    docker secret ls --filter "label=org.notes.secret" --format '{{.Name}}\t{{.CreatedAt}}' | sort
    ;;
  create)
    command -v openssl >/dev/null 2>&1 || die "openssl is needed to generate values"
    for g in $GROUPS_ALL; do
      first=$(members "$g" | cut -d' ' -f1)
      if [ "$(latest_version "$first")" != 0 ]; then
        log "$g: exists ($(latest_version "$first" | sed 's/^/v/')), kept"
        continue
      fi
      make_group "$g" 1
    done
    log "done; the stack file's defaults (v1) select these"
    ;;
  rotate)
    command -v openssl >/dev/null 2>&1 || die "openssl is needed to generate values"
    case "$group" in
      *-db|*-root) [ -n "$from_file" ] || die "$group: change the password in the database first, then --from-file FILE (README)" ;;
      *) [ -z "$from_file" ] || die "--from-file is for the database password groups only" ;;
    esac
    first=$(members "$group" | cut -d' ' -f1)
    next=$(( $(latest_version "$first") + 1 ))
    make_group "$group" "$next"
    echo "Set in compose-swarm/stack.env, then run scripts/swarm-deploy.sh:"
    for m in $(members "$group"); do echo "  $(version_var "$m")=v$next"; done
    ;;
  *) usage >&2; die "unknown command: $cmd" ;;
esac
