/**
 * rsyslogd as a foreground child (`-n -f <conf> -i <pidfile>`), never the system's: it gets its
 * own config, work directory and pid file, and is killed when this process exits for any reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, rssMb } from '../process-usage.js';

export class Rsyslogd {
  private constructor(private readonly child: ChildProcess, private readonly logFiles: readonly string[]) {}

  /** Config check (`-N1`) without starting anything; the error text when it fails. */
  static validate(rsyslogd: string, conf: string): string | undefined {
    const check = spawnSync(rsyslogd, ['-N1', '-f', conf], { encoding: 'utf8' });
    if (check.error) return check.error.message;
    return check.status === 0 ? undefined : `${check.stderr}${check.stdout}`.trim();
  }

  /**
   * Resolves once rsyslogd runs its inputs: it writes the pid file only after activating them.
   * `outputLog` takes its stdout/stderr; `internalLog` is where its config sends its own messages.
   */
  static async start(rsyslogd: string, conf: string, pidFile: string, outputLog: string, internalLog: string): Promise<Rsyslogd> {
    const log = createWriteStream(outputLog, { flags: 'a' });
    const child = spawn(rsyslogd, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const daemon = new Rsyslogd(child, [outputLog, internalLog]);
    const killOnExit = (): void => void daemon.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    for (let waited = 0; !existsSync(pidFile); waited += 10) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`rsyslogd exited at start (${child.exitCode ?? child.signalCode}): ${daemon.log()}`);
      if (waited > 10_000) {
        await daemon.stop();
        throw new Error(`rsyslogd did not write its pid file within 10 s: ${daemon.log()}`);
      }
      await sleep(10);
    }
    return daemon;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** User + system CPU seconds so far (all threads). */
  cpuSeconds(): number {
    return cpuSeconds(this.child.pid);
  }

  rssMb(): number {
    return rssMb(this.child.pid);
  }

  /** The last lines of its output and of its own messages, for error reports. */
  log(): string {
    const tails = this.logFiles.map((file) => {
      try {
        return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
      } catch {
        return '';
      }
    });
    return tails.filter((t) => t !== '').join('\n') || '(no output)';
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s (a queue still draining to a dead emulator). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
