#!/usr/bin/env bash
# Starts a Redis for `make run` in the project's data folder, with AOF on (BullMQ needs persistence
# and noeviction), unless REDIS_URL points elsewhere. Installs Debian's redis-server if missing.
set -euo pipefail
data_dir=${DATA_DIR:-data}
port=${LOCAL_REDIS_PORT:-6379}
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "redis-server not found: installing Debian's redis-server" >&2
    (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null) || {
      echo "could not install redis-server with apt-get; install Redis 6.2+ yourself or set REDIS_URL" >&2; exit 1; }
  else
    echo "redis-server not found and cannot be installed here (needs root and apt-get): install Redis 6.2+ or set REDIS_URL" >&2
    exit 1
  fi
fi
mkdir -p "$data_dir/redis"
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "using the Redis already answering on port $port" >&2
  exit 0
fi
redis-server --port "$port" --bind 127.0.0.1 --dir "$(cd "$data_dir/redis" && pwd)" \
  --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
  --daemonize yes --pidfile "$(cd "$data_dir/redis" && pwd)/redis.pid" --logfile "$(cd "$data_dir/redis" && pwd)/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "local Redis did not start; see $data_dir/redis/redis.log" >&2
exit 1
