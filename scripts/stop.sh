#!/usr/bin/env bash
# `make stop`: stops what `make run` started in this checkout (its forwarder, then its local Redis),
# found by their pid files and command lines; nothing else is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
who='make stop'
source scripts/local-processes.sh

stopped=''
redis=$(our_redis_pid || true)
if pid=$(our_forwarder_pid); then
  parent=$(ps -o ppid= -p "$pid" | tr -d ' ')
  stop_process "$pid" forwarder 30
  say "stopped the forwarder (pid $pid)"
  stopped=1
  # A `make run` still running stops its Redis itself once its forwarder is gone: let it.
  if [[ $(command_of "$parent") == *scripts/run.sh* ]]; then
    for _ in $(seq 1 100); do
      our_redis_pid >/dev/null || break
      sleep 0.1
    done
  fi
fi
rm -f "$forwarder_pid_file"
if pid=$(our_redis_pid); then
  stop_process "$pid" "the local Redis" 30
  stopped=1
fi
if [ -n "$redis" ]; then say "stopped the local Redis (pid $redis, port $(cat "$redis_port_file"))"; fi
[ -n "$stopped" ] || say "nothing of make run is running in this checkout"
