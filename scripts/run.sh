#!/usr/bin/env bash
# `make run`: the forwarder, with a Redis of its own in $DATA_DIR/redis (AOF on, noeviction: BullMQ
# needs both) unless REDIS_URL is set. It only ever uses a Redis it started: a port taken by
# anything else is left alone (LOCAL_REDIS_PORT taken: refused; the default taken: another port).
# Ctrl-C stops the forwarder, then that Redis; `make stop` (scripts/stop.sh) stops what a
# `make run` left running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-processes.sh

if pid=$(our_forwarder_pid); then
  say "already running in this checkout (forwarder pid $pid): \`make stop\` stops it"
  exit 1
fi

started_redis=''
if [ -n "${REDIS_URL:-}" ]; then
  say "REDIS_URL is set: no local Redis"
else
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "redis-server not found: installing Debian's redis-server"
      (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null) || {
        say "could not install redis-server with apt-get; install Redis 6.2+ yourself or set REDIS_URL"; exit 1; }
    else
      say "redis-server not found and cannot be installed here (needs root and apt-get): install Redis 6.2+ or set REDIS_URL"
      exit 1
    fi
  fi
  mkdir -p "$redis_dir"
  if pid=$(our_redis_pid); then
    port=$(cat "$redis_port_file")
    say "the local Redis a previous make run started is still running (pid $pid, port $port): using it"
  else
    if [ -n "${LOCAL_REDIS_PORT:-}" ]; then
      port=$LOCAL_REDIS_PORT
      if port_in_use "$port"; then
        say "LOCAL_REDIS_PORT: port $port is already in use by another program; make run only uses a Redis it starts: choose another port, or set REDIS_URL to use that one"
        exit 1
      fi
    else
      # The port of the last run (or 6379), so that REDIS_URL stays the same from run to run.
      port=$(cat "$redis_port_file" 2>/dev/null || echo 6379)
      if port_in_use "$port"; then
        taken=$port
        port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); })')
        say "port $taken is in use by another program (left alone): the local Redis takes port $port"
      fi
    fi
    echo "$port" > "$redis_port_file"
    rm -f "$redis_pid_file"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$redis_dir" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
      --daemonize yes --pidfile "$redis_pid_file" --logfile "$redis_dir/redis.log"
    for _ in $(seq 1 50); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    if ! pid=$(our_redis_pid) || ! redis-cli -p "$port" ping >/dev/null 2>&1; then
      say "the local Redis did not start on port $port; see $redis_dir/redis.log"
      exit 1
    fi
    say "local Redis started (pid $pid, port $port, data in $redis_dir)"
  fi
  started_redis=$pid
  export REDIS_URL="redis://127.0.0.1:$port"
  say "REDIS_URL=$REDIS_URL (give the same to the command line, e.g. REDIS_URL=$REDIS_URL node dist/server/cli.js dead-letters list)"
fi

forwarder=''
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$forwarder" ] && running "$forwarder"; then stop_process "$forwarder" forwarder 30; fi
  rm -f "$forwarder_pid_file"
  if [ -n "$started_redis" ] && pid=$(our_redis_pid); then
    stop_process "$pid" "the local Redis" 30
    say "stopped the local Redis (port $port)"
  fi
}
trap cleanup EXIT
# The forwarder stops on SIGTERM once its batches are delivered; the EXIT trap then stops Redis.
trap 'if [ -n "$forwarder" ]; then kill -TERM "$forwarder" 2>/dev/null || true; fi' INT TERM HUP

dist/server/cli.js serve &
forwarder=$!
echo "$forwarder" > "$forwarder_pid_file"
say "forwarder started (pid $forwarder) on http://${HOST:-127.0.0.1}:${PORT:-8080}: Ctrl-C here, or \`make stop\` from another terminal, stops it${started_redis:+ and the local Redis}"
# A trap interrupts wait; wait again until the forwarder is gone, then take its exit status.
while kill -0 "$forwarder" 2>/dev/null; do wait "$forwarder" || true; done
wait "$forwarder" && status=0 || status=$?
exit "$status"
