#!/usr/bin/env bash
# Uptime check for cron: the stack's containers, svc-notes' /readyz, optionally the backups' age.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/check-health.sh [--url URL] [--timeout SECONDS] [--backup-max-age HOURS] [--quiet]

Checks the compose-local stack and, when anything is wrong, runs an alert command:
  1. every container of the project is running and healthy (one-shot ones exited 0);
  2. GET URL/readyz answers 200 within the timeout (default 10 s): svc-notes, its database,
     Redis and svc-userauth all answer. URL defaults to svc-notes' published port on this host;
     behind the edge proxy or from another machine give the public one (--url https://notes.example.org);
  3. with --backup-max-age: backups/last-success.prom (written by scripts/backup.sh) is younger
     than HOURS (--backups DIR for another folder).
On failure it prints one line per problem on stderr, runs NOTES_ALERT_CMD (or --alert-cmd CMD)
through bash with the report on standard input and as $1, and exits 1. Exit 0: all good (prints
one "ok" line unless --quiet). Needs curl. Example crontab (every 5 minutes; mail on failure):
  */5 * * * * cd /srv/notes && NOTES_ALERT_CMD='mail -s "Notes is unhealthy" ops@example.org' bash scripts/check-health.sh --quiet --backup-max-age 26
Webhook instead of mail:
  NOTES_ALERT_CMD='curl -fsS -m 10 -H "content-type: text/plain" --data-binary @- https://hooks.example.org/notes'
  --url URL              base URL of svc-notes (default: its published port on 127.0.0.1)
  --timeout SECONDS      /readyz timeout (default 10)
  --backup-max-age HOURS also alert when the last good backup is older (default: not checked)
  --backups DIR          where scripts/backup.sh writes (default backups/ in the repository)
  --alert-cmd CMD        the alert command (default: $NOTES_ALERT_CMD; none: only the exit code)
  --quiet                print nothing when everything is fine
  -h, --help             this text
USAGE
}

url='' timeout=10 max_age='' backups='' quiet=0 alert="${NOTES_ALERT_CMD:-}"
need() { [ "$2" -ge 2 ] || { echo "check-health: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --url) need "$1" $#; url="${2%/}"; shift ;;
    --timeout) need "$1" $#; timeout="$2"; shift ;;
    --backup-max-age) need "$1" $#; max_age="$2"; shift ;;
    --backups) need "$1" $#; backups="$2"; shift ;;
    --alert-cmd) need "$1" $#; alert="$2"; shift ;;
    --quiet|-q) quiet=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "check-health: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || { echo "check-health: --timeout must be a whole number of seconds" >&2; exit 2; }
[ -z "$max_age" ] || [[ "$max_age" =~ ^[1-9][0-9]*$ ]] ||
  { echo "check-health: --backup-max-age must be a whole number of hours" >&2; exit 2; }

# shellcheck source=scripts/_compose.sh
. "$(dirname "${BASH_SOURCE[0]}")/_compose.sh"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
backups="${backups:-$NOTES_ROOT/backups}"

problems=()
if ! docker info >/dev/null 2>&1; then
  problems+=("no Docker engine reachable (DOCKER_HOST=${DOCKER_HOST:-default socket})")
else
  ids=$(project_containers -a)
  [ -n "$ids" ] || problems+=("project '$PROJECT' has no containers")
  for id in $ids; do
    read -r name status code health < <(docker inspect --format '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id" 2>/dev/null || echo "? gone 0 none")
    name="${name#/}"
    case "$status:$health" in
      running:healthy | running:none) ;;
      exited:*) [ "$code" = 0 ] || problems+=("container $name exited with $code") ;;
      *) problems+=("container $name is $status${health:+ ($health)}") ;;
    esac
  done
  if [ -z "$url" ]; then
    notes=$(container_of svc-notes)
    if [ -n "$notes" ]; then
      published=$(docker port "$notes" 3000/tcp 2>/dev/null | head -n 1 || true)
      [ -z "$published" ] || url="http://127.0.0.1:${published##*:}"
    fi
  fi
fi

if [ -n "$url" ]; then
  answer=$(curl -s -o /dev/null -w '%{http_code}' -m "$timeout" "$url/readyz" 2>/dev/null) || true
  case "$answer" in
    200) ;;
    '' | 000) problems+=("$url/readyz did not answer within ${timeout}s") ;;
    *) problems+=("$url/readyz answered $answer") ;;
  esac
else
  problems+=("svc-notes publishes no port to check /readyz on (give --url)")
fi

if [ -n "$max_age" ]; then
  stamp=$(sed -n 's/^notes_backup_last_success_timestamp_seconds \([0-9]*\)$/\1/p' "$backups/last-success.prom" 2>/dev/null || true)
  if [ -z "$stamp" ]; then
    problems+=("no successful backup recorded in $backups/last-success.prom")
  elif [ $(($(date +%s) - stamp)) -gt $((max_age * 3600)) ]; then
    problems+=("the last successful backup is $((($(date +%s) - stamp) / 3600)) h old (limit ${max_age} h)")
  fi
fi

if [ "${#problems[@]}" -eq 0 ]; then
  [ "$quiet" = 1 ] || say "ok: project '$PROJECT' is healthy${url:+, $url/readyz answers 200}"
  exit 0
fi
report="Notes on $(hostname): project '$PROJECT' is unhealthy ($(date -u +%Y-%m-%dT%H:%M:%SZ))
$(printf -- '- %s\n' "${problems[@]}")"
printf '%s\n' "$report" >&2
if [ -n "$alert" ]; then
  printf '%s\n' "$report" | bash -c "$alert" alert "$report" ||
    echo "check-health: the alert command failed (exit $?)" >&2
fi
exit 1
