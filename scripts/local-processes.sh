# What `make run` started in this checkout, and how to tell it from processes it did not start.
# Sourced by scripts/run.sh and scripts/stop.sh; a process is ours only if its pid file names it
# and its command line is the one we started (a pid can be reused by anything after a crash).

data_dir=${DATA_DIR:-data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd -P)
redis_dir=$data_dir/redis
redis_pid_file=$redis_dir/redis.pid
redis_port_file=$redis_dir/port
forwarder_pid_file=$data_dir/forwarder.pid

say() { echo "${who:-make run}: $*" >&2; }

command_of() { ps -o command= -p "$1" 2>/dev/null || true; }

# Where Linux shows it, the process's working directory must be $2 (another checkout's never is).
works_in() { [ ! -e "/proc/$1/cwd" ] || [ "$(readlink "/proc/$1/cwd")" = "$2" ]; }

# The pid of the Redis `make run` started here, if it still runs (redis-server names its port in its title).
our_redis_pid() {
  local pid port
  pid=$(cat "$redis_pid_file" 2>/dev/null) || return 1
  port=$(cat "$redis_port_file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  local title
  title=$(command_of "$pid")
  [[ $title == redis-server*:"$port" || $title == redis-server*:"$port "* ]] && works_in "$pid" "$redis_dir" && echo "$pid"
}

# The pid of the forwarder `make run` started here, if it still runs.
our_forwarder_pid() {
  local pid
  pid=$(cat "$forwarder_pid_file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && [[ $(command_of "$pid") == *dist/server/cli.js\ serve* ]] && works_in "$pid" "$(pwd -P)" && echo "$pid"
}

# True when something accepts connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True while the process runs (an exited one waiting for its parent to reap it does not).
running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}

# Sends SIGTERM and waits up to $2 seconds for the process to end; then SIGKILL.
stop_process() {
  local pid=$1 what=$2 seconds=$3
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((seconds * 10))); do
    running "$pid" || return 0
    sleep 0.1
  done
  say "$what (pid $pid) did not stop within $seconds s: killing it (nothing is lost: its work waits in Redis or its files)"
  kill -KILL "$pid" 2>/dev/null || true
}
