#!/usr/bin/env bash
# Shared by scripts/swarm-backup.sh and scripts/swarm-restore.sh (sourced, never run): how to reach
# the container of a store (db-userauth, db-notes, redis) of the stack, which runs on the node its
# label pins it to. On this node: the local docker. On another node: docker over SSH
# (docker -H ssh://[NOTES_SWARM_SSH_USER@]NODE; that user must be allowed to use docker there).

# store_locate SERVICE: sets STORE_DOCKER (the docker command for that node, an array) and
# STORE_CONTAINER (the container id of the service's running task). Fails with one line.
store_locate() {
  local full="${stack}_$1" task node here
  task=$(docker service ps "$full" --filter desired-state=running --format '{{.ID}} {{.Node}}' --no-trunc | head -n 1)
  [ -n "$task" ] || die "$full has no running task (scripts/swarm-status.sh)"
  node="${task#* }"; task="${task%% *}"
  here=$(docker info --format '{{.Name}}')
  if [ "$node" = "$here" ]; then
    STORE_DOCKER=(docker)
  else
    STORE_DOCKER=(docker -H "ssh://${NOTES_SWARM_SSH_USER:+$NOTES_SWARM_SSH_USER@}$node")
  fi
  STORE_CONTAINER=$(docker inspect --format '{{.Status.ContainerStatus.ContainerID}}' "$task")
  [ -n "$STORE_CONTAINER" ] || die "cannot find the container of task $task ($full on $node)"
}
