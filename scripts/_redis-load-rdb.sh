#!/bin/sh
# Runs INSIDE a one-off redis container (never on the host) with the Redis data volume at /data
# and an RDB snapshot on standard input: used by scripts/restore.sh and scripts/swarm-restore.sh.
# Puts the snapshot in place, loads it with the append-only file off, then turns that on (Redis
# rewrites the AOF from memory) and shuts down.
set -eu
cd /data
rm -rf appendonlydir appendonly.aof dump.rdb
cat >dump.rdb
chown redis:redis dump.rdb
setpriv --reuid=redis --regid=redis --init-groups \
  redis-server --dir /data --appendonly no --bind 127.0.0.1 --port 6379 --daemonize yes --logfile /tmp/redis.log
i=0
until [ "$(redis-cli ping 2>/dev/null)" = PONG ]; do
  i=$((i + 1)); [ "$i" -lt 150 ] || { cat /tmp/redis.log; exit 1; }; sleep 0.2
done
redis-cli config set appendonly yes >/dev/null
i=0
until redis-cli info persistence | grep -q "^aof_rewrite_in_progress:0" &&
      redis-cli info persistence | grep -q "^aof_rewrite_scheduled:0" &&
      [ -f appendonlydir/appendonly.aof.manifest ]; do
  i=$((i + 1)); [ "$i" -lt 300 ] || { cat /tmp/redis.log; exit 1; }; sleep 0.2
done
redis-cli info persistence | grep -q "^aof_last_bgrewrite_status:ok" || { cat /tmp/redis.log; exit 1; }
echo "keys restored: $(redis-cli dbsize)"
redis-cli shutdown nosave >/dev/null 2>&1 || true
i=0
while redis-cli ping >/dev/null 2>&1; do i=$((i + 1)); [ "$i" -lt 100 ] || exit 1; sleep 0.1; done
