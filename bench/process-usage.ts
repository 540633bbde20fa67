/**
 * CPU time and resident memory of a process from /proc (Linux), for the figures' details: where a
 * run's CPU went (ours, Redis, the emulator, rsyslogd) tells which of them set the pace.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

/** User + system CPU seconds so far, all threads; 0 once the process is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a /proc `stat` text (a process's or a thread's). */
function statCpuSeconds(stat: string): number {
  // Fields after the parenthesized command name: state is the 1st, utime the 12th, stime the 13th.
  const fields = stat.replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in MB; 0 once the process is gone (no sample). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** This process's own CPU seconds (it hosts the emulator in the figures that use one). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * CPU seconds so far of each thread (/proc/<pid>/task/*), as `main` or `<name>:<tid>`: Node's
 * worker threads and V8's and libuv's helpers are all named `node`, so the tid tells them apart.
 */
export function cpuSecondsByThread(pid: number | undefined): Record<string, number> {
  const byThread: Record<string, number> = {};
  if (pid === undefined) return byThread;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byThread;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const label = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid}`;
      byThread[label] = statCpuSeconds(stat);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byThread;
}

/** What each thread spent between two samples, the busiest first: the four busiest, the rest summed. */
export function threadCpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const spent = Object.entries(after).map(([label, seconds]) => [label, seconds - (before[label] ?? 0)] as const).sort((a, b) => b[1] - a[1]);
  const round = (seconds: number) => Number(seconds.toFixed(2));
  const shown = Object.fromEntries(spent.slice(0, 4).map(([label, seconds]) => [label, round(seconds)]));
  const rest = spent.slice(4).reduce((sum, [, seconds]) => sum + seconds, 0);
  return rest > 0 ? { ...shown, others: round(rest) } : shown;
}
