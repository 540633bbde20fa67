/**
 * No node outlives the test process that started it. A node runs in a process group of its own
 * (the CLI launcher and the server JVM it starts); the group is killed when the test process exits,
 * on SIGINT/SIGTERM/SIGHUP unless someone else handles them, and, should the test process itself
 * be killed with -9, by a small watchdog shell that polls for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

interface Tracked {
  /** The launcher's pid, leader of the node's process group. */
  pgid: number;
  /** Removed on exit, unless the caller keeps the node's folder. */
  dir: string | undefined;
  watchdog: ChildProcess;
}

const live = new Map<number, Tracked>();
let installed = false;

export function trackNodeGroup(pgid: number, dir: string | undefined): void {
  install();
  // `kill -0` of our pid fails once we are gone; the group then goes with us.
  const watchdog = spawn('/bin/sh', ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 2; done; kill -KILL -- "-$1" 2>/dev/null', String(process.pid), String(pgid)], {
    detached: true, stdio: 'ignore',
  });
  watchdog.unref();
  live.set(pgid, { pgid, dir, watchdog });
}

export function untrackNodeGroup(pgid: number): void {
  const tracked = live.get(pgid);
  if (!tracked) return;
  live.delete(pgid);
  tracked.watchdog.kill('SIGKILL');
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/** A process of that pid exists (a zombie included). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killAll(): void {
  for (const tracked of live.values()) {
    killGroup(tracked.pgid, 'SIGKILL');
    tracked.watchdog.kill('SIGKILL');
    if (tracked.dir) rmSync(tracked.dir, { recursive: true, force: true });
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Another handler (make es) stops its node cleanly itself.
      if (process.listenerCount(signal) > 1) return;
      killAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
