/**
 * One rsyslog run of a figure: rsyslogd started on a rendered configuration, following the
 * backlog's path; the warm-up file first (until `indexed` has it all), then the measured backlog
 * rotated in, timed until `indexed` reaches both. `atStart`/`atEnd` let the figure read the other
 * processes' CPU over the same interval.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { waitUntilIndexed, type Backlog } from '../backlog.js';
import { renderConfig, type RsyslogConfig, type RsyslogSettings } from './config.js';
import { Rsyslogd } from './daemon.js';
import type { Found } from './install.js';

/** rsyslog can't run here: said on stderr, no figure. */
export class Skip extends Error {}

export interface ShipOptions {
  rsyslog: Exclude<Found, { skip: string }>;
  dir: string;
  config: RsyslogConfig;
  esPort: number;
  index: string;
  batch: number;
  workers: number;
  pipeline?: string;
  backlog: Backlog;
  /** Documents the destination holds so far. */
  indexed: () => Promise<number> | number;
  timeoutMs: number;
  atStart?: () => void;
  atEnd?: () => void;
}

export interface ShipResult {
  seconds: number;
  rsyslogdCpuSeconds: number;
  rsyslogdPeakRssMb: number;
  daemon: Rsyslogd;
}

export async function shipWithRsyslog(options: ShipOptions, started: (daemon: Rsyslogd) => void): Promise<ShipResult> {
  const workDir = join(options.dir, 'work');
  await mkdir(workDir, { recursive: true });
  const settings: RsyslogSettings = {
    workDir, file: options.backlog.followed, esPort: options.esPort, index: options.index, batch: options.batch, workers: options.workers,
    // Room for a few batches per worker: imfile waits (flow control) when the queue is full.
    queueSize: Math.max(100_000, options.batch * options.workers * 4), submit: Math.min(options.batch, 4096), maxBytes: '100m',
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
  };
  const conf = join(options.dir, 'rsyslog.conf');
  writeFileSync(conf, renderConfig(settings, options.config));
  const invalid = Rsyslogd.validate(options.rsyslog.rsyslogd, conf);
  if (invalid) throw new Skip(`rsyslogd ${options.rsyslog.version} refuses the configuration: ${invalid}`);

  const daemon = await Rsyslogd.start(options.rsyslog.rsyslogd, conf, join(options.dir, 'rsyslogd.pid'), join(options.dir, 'rsyslogd.out'), join(workDir, 'rsyslogd.log'));
  started(daemon);
  const { backlog } = options;
  // A run that stalls says what rsyslogd last said.
  const stuck = (error: unknown): never => {
    throw new Error(`${(error as Error).message}; rsyslogd:\n${daemon.log()}`);
  };
  backlog.beginWarmUp();
  await waitUntilIndexed(options.indexed, backlog.warmupLines, options.timeoutMs, 'warm-up').catch(stuck);
  options.atStart?.();
  const cpuAtStart = daemon.cpuSeconds();
  let peakRss = 0;
  const begun = performance.now();
  backlog.rotateIn();
  await waitUntilIndexed(options.indexed, backlog.warmupLines + backlog.lines, options.timeoutMs, 'the backlog', () => {
    peakRss = Math.max(peakRss, daemon.rssMb());
  }).catch(stuck);
  const seconds = (performance.now() - begun) / 1000;
  const rsyslogdCpuSeconds = daemon.cpuSeconds() - cpuAtStart;
  options.atEnd?.();
  return { seconds, rsyslogdCpuSeconds, rsyslogdPeakRssMb: peakRss, daemon };
}
