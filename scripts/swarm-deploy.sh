#!/usr/bin/env bash
# Deploys (or updates) the Notes stack on a Docker Swarm cluster, from a manager node.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/swarm-deploy.sh [options]

Renders compose-swarm/docker-stack.yml with the variables of an env file (`docker stack deploy`
reads no .env file), checks the result, then deploys it with `docker stack deploy` and waits for
the migration jobs and the services to converge.

Options:
  --env-file FILE   variables to render with (default: compose-swarm/stack.env; start from
                    compose-swarm/stack.env.example). Variables already set in the environment win.
  --stack NAME      stack name (default: $STACK_NAME from the env file, else "notes")
  --render-only     render and check into compose-swarm/.rendered/, do not deploy
  --no-wait         do not wait for the jobs and services after deploying
  --timeout SECONDS how long to wait for convergence (default 600)
  -h, --help        this help

Needs: Docker CLI >= 23 (swarm jobs in stack files) with `docker stack config` (>= 24), a
manager node, the node labels and secrets described in compose-swarm/README.md.
USAGE
}

die() { printf 'swarm-deploy: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-deploy: %s\n' "$*"; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STACK_FILE="$ROOT/compose-swarm/docker-stack.yml"
TEMPLATE="$ROOT/compose-swarm/nginx/notes.conf.template"
OUT_DIR="$ROOT/compose-swarm/.rendered"
env_file="$ROOT/compose-swarm/stack.env"
stack=""
render_only=0
wait=1
timeout=600

while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) [ $# -ge 2 ] || die "--env-file needs a file"; env_file=$2; shift 2 ;;
    --stack) [ $# -ge 2 ] || die "--stack needs a name"; stack=$2; shift 2 ;;
    --render-only) render_only=1; shift ;;
    --no-wait) wait=0; shift ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"
[ -f "$env_file" ] || die "no env file at $env_file (copy compose-swarm/stack.env.example and edit it)"

# Load the env file without letting it override what the caller exported explicitly.
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "bad line in $env_file: $line"
  name=${line%%=*}
  value=${line#*=}
  value=${value%\"}; value=${value#\"}
  if [ -z "${!name+x}" ]; then export "$name=$value"; fi
done <"$env_file"

[ -n "${REGISTRY:-}" ] || die "REGISTRY is not set (in $env_file or the environment)"
[ -n "${TAG:-}" ] || die "TAG is not set (scripts/swarm-build-push.sh prints the tag it pushed)"
[ "$TAG" != "latest" ] || die "TAG=latest cannot be rolled back or audited; use the commit tag"
[[ "${NOTES_REPLICAS:-2}" =~ ^[0-9]+$ ]] && [ "${NOTES_REPLICAS:-2}" -ge 2 ] \
  || die "NOTES_REPLICAS must be a number >= 2"
stack=${stack:-${STACK_NAME:-notes}}

# A changed proxy template becomes a new (immutable) swarm config, which rolls the proxy.
NGINX_CONF_VERSION=$(sha256sum "$TEMPLATE" | cut -c1-12)
export NGINX_CONF_VERSION

mkdir -p "$OUT_DIR"
resolved="$OUT_DIR/$stack.resolved.yml"
deployable="$OUT_DIR/$stack.deploy.yml"
docker stack config -c "$STACK_FILE" >"$resolved" 2>"$OUT_DIR/$stack.render.log" \
  || { cat "$OUT_DIR/$stack.render.log" >&2; die "rendering failed (docker stack config needs Docker CLI >= 24)"; }
grep -q "image: $REGISTRY/svc-notes:$TAG\$" "$resolved" || die "rendered file lacks image $REGISTRY/svc-notes:$TAG"
grep -q "image: $REGISTRY/svc-userauth:$TAG\$" "$resolved" || die "rendered file lacks image $REGISTRY/svc-userauth:$TAG"
# After interpolation every remaining $ is literal (health-check shell code); escape it again so
# that `docker stack deploy`, which interpolates once more, deploys exactly what was rendered.
sed 's/\$/$$/g' "$resolved" >"$deployable"
log "rendered $resolved (images $REGISTRY/svc-*:$TAG, proxy config $NGINX_CONF_VERSION)"

# Every external secret must exist before deploying, or the services fail to start.
missing=()
while IFS= read -r secret; do
  docker secret inspect "$secret" >/dev/null 2>&1 || missing+=("$secret")
done < <(awk '/^secrets:/{s=1;next} /^[^ ]/{s=0} s && /^    name: /{print $2}' "$resolved")
[ "${#missing[@]}" -eq 0 ] || die "missing secrets: ${missing[*]} (scripts/swarm-secrets.sh create)"

if [ "$render_only" = 1 ]; then
  log "render only: not deploying; deployable file: $deployable"
  exit 0
fi

log "deploying stack $stack"
docker stack deploy --with-registry-auth -c "$deployable" "$stack"

[ "$wait" = 1 ] || { log "not waiting (--no-wait); see scripts/swarm-status.sh"; exit 0; }

deadline=$((SECONDS + timeout))
# `docker stack services` shows a job's current run as "0/1 (1/1 completed)".
for job in migrate-userauth migrate-notes; do
  log "waiting for the $job job"
  while :; do
    replicas=$(docker service ls --filter "name=${stack}_$job" --format '{{.Name}}|{{.Replicas}}' \
      | awk -F'|' -v n="${stack}_$job" '$1 == n { print $2 }')
    if [[ "$replicas" =~ \(([0-9]+)/([0-9]+)\ completed\) ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
      log "$job: complete"
      break
    fi
    [ "$SECONDS" -lt "$deadline" ] \
      || die "$job did not complete in ${timeout}s ($replicas): docker service ps --no-trunc ${stack}_$job"
    sleep 5
  done
done

log "waiting for every service to reach its replicas"
while :; do
  pending=$(docker stack services "$stack" --format '{{.Name}}|{{.Mode}}|{{.Replicas}}' \
    | awk -F'|' '$2 == "replicated" { split($3, r, "/"); if (r[1] != r[2]) print $1 " " $3 }')
  [ -z "$pending" ] && break
  [ "$SECONDS" -lt "$deadline" ] || { printf '%s\n' "$pending" >&2; die "services not converged in ${timeout}s"; }
  sleep 5
done
log "stack $stack is up"
docker stack services "$stack"
