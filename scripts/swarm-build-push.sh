#!/usr/bin/env bash
# Builds both service images, tags them with the git commit and pushes them to $REGISTRY.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: REGISTRY=HOST[:PORT]/PATH scripts/swarm-build-push.sh [--tag TAG] [--no-push] [--allow-dirty]

Builds services/notes/Dockerfile and services/userauth/Dockerfile (context: the repository root)
as $REGISTRY/svc-notes:TAG and $REGISTRY/svc-userauth:TAG, pushes both, and prints the TAG line
for compose-swarm/stack.env.

Options:
  --tag TAG       image tag (default: the current commit, git rev-parse --short=12 HEAD)
  --no-push       build and tag only (e.g. REGISTRY=notes --tag local for a local test)
  --allow-dirty   build from a work tree with uncommitted changes (the tag then gets "-dirty")
  -h, --help      this help

REGISTRY may also come from compose-swarm/stack.env. Log in first: docker login HOST.
USAGE
}

die() { printf 'swarm-build-push: %s\n' "$*" >&2; exit 1; }
log() { printf 'swarm-build-push: %s\n' "$*"; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
tag="" push=1 allow_dirty=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; tag=$2; shift 2 ;;
    --no-push) push=0; shift ;;
    --allow-dirty) allow_dirty=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"
if [ -z "${REGISTRY:-}" ] && [ -f "$ROOT/compose-swarm/stack.env" ]; then
  REGISTRY=$(sed -n 's/^REGISTRY=//p' "$ROOT/compose-swarm/stack.env" | tail -n 1 | tr -d '"')
fi
[ -n "${REGISTRY:-}" ] || die "REGISTRY is not set (e.g. REGISTRY=registry.example.com:5000/notes)"
REGISTRY=${REGISTRY%/}

cd "$ROOT"
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || die "not a git checkout: cannot tag by commit"
dirty=""
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  [ "$allow_dirty" = 1 ] || die "uncommitted changes: commit first, or --allow-dirty"
  dirty="-dirty"
fi
tag=${tag:-$commit$dirty}
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid tag: $tag"
[ "$tag" != latest ] || die "refusing the tag 'latest': deploys must name an exact build"

for svc in notes userauth; do
  image="$REGISTRY/svc-$svc:$tag"
  log "building $image"
  docker build -f "services/$svc/Dockerfile" \
    --label "org.opencontainers.image.revision=$commit$dirty" \
    --label "org.opencontainers.image.source=notes" \
    -t "$image" .
done

if [ "$push" = 1 ]; then
  for svc in notes userauth; do
    log "pushing $REGISTRY/svc-$svc:$tag"
    docker push "$REGISTRY/svc-$svc:$tag"
  done
fi
log "done. In compose-swarm/stack.env set:"
echo "TAG=$tag"
