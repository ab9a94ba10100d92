#!/bin/sh
# Raises this shell's soft open-files limit (never lowers it) so that 1,000+ sockets fit, then runs
# the benchmark with the given flags. The services it starts inherit the limit.
want=8192
current=$(ulimit -n)
if [ "$current" != unlimited ] && [ "$current" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
exec node --import tsx test/bench/run.ts "$@"
