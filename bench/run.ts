/**
 * `make bench`: our figures and our peers' (rsyslog; Elastic's own ingest pipeline) on the same
 * records in the same run, into the tests' emulator (the shippers' own ceiling) and into real
 * Elasticsearch nodes (bench/figures.ts lists them).
 * Each figure runs in its own child process, so one figure's heap and JIT state never shape the
 * next; each child gets its own process group, killed when it ends, so nothing it started
 * (Redis, forwarders, rsyslogd) outlives it, even when it fails or we are interrupted.
 *
 * stdout: one JSON line per figure, {"bench": NAME, "value": N, "unit": ..., ...details};
 * stderr: progress, the figures' own messages (prefixed), and a table at the end.
 *
 *   BENCH_RUNS=3           each figure 3 times (runs interleaved, so load drifts hit every figure
 *                          alike); prints the median, with every run's value in `runs`
 *   BENCH_FIGURES=a,b      only these figures (transform, es_emulator_ceiling, es_emulator_ceiling_legacy,
 *                          end_to_end, end_to_end_2_workers, tail, rsyslog, tail_es, es_ceiling,
 *                          rsyslog_es, tail_es_oracle, elastic_pipeline)
 *   BENCH_FILE_LINES       lines of the audit.log backlog tail, rsyslog, tail_es, es_ceiling and
 *                          rsyslog_es read (300000); BENCH_ORACLE_LINES those of the 7.10.2 figures (100000)
 *   BENCH_WARMUP_LINES     lines the real-node figures warm up on first (100000); BENCH_ES_HEAP_MB (1024)
 *   BENCH_E2E_RECORDS, BENCH_TRANSFORM_RECORDS (200000 each), BENCH_CEILING_SECONDS (5)
 * Exits 1 when a figure failed; a figure whose program is absent or whose peer can't run here
 * is reported as skipped, never invented. The table marks each figure's target (bench/targets.ts);
 * `make bench-check` fails when one is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { deriveFigures, FIGURES, type Figure } from './figures.js';
import { checkTargets, describeTarget, parseBenchLine, type BenchLine } from './targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS || 1);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a positive integer (got ${JSON.stringify(process.env.BENCH_RUNS)})`);
// The 7.10.2 node's assembled distribution outlives the figures' TMPDIRs: where the parity tests keep it.
const ORACLE_CACHE_DIR = process.env.ORACLE_CACHE_DIR ?? join(tmpdir(), 'mattermost-audit-elastic-oracle');
const FIGURE_TIMEOUT_MS = Number(process.env.BENCH_FIGURE_TIMEOUT_SECONDS ?? 600) * 1000;

type Problem = { status: 'skipped' | 'failed'; reason: string; lines: BenchLine[] };
type Outcome = { status: 'ok'; lines: BenchLine[] } | Problem;

const running = new Set<ChildProcess>();
/** The figures' TMPDIRs not yet removed (an interrupted figure's is removed on exit). */
const tmpDirs = new Set<string>();

/** A signal to the child's whole process group; ESRCH (nothing left in it) is the normal case. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * Interrupted: SIGTERM first, so rsyslogd, Redis and the forwarders stop cleanly and the figures
 * that handle it remove their temporary folders, then SIGKILL for whatever is left after 5 s.
 */
async function stopAll(): Promise<void> {
  const children = [...running];
  for (const child of children) signalGroup(child, 'SIGTERM');
  const closed = children.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'close')));
  await Promise.race([Promise.all(closed), sleep(5_000)]);
  for (const child of children) signalGroup(child, 'SIGKILL');
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs one figure once; its own stderr (and any stdout that isn't a figure) goes to our stderr, prefixed. */
async function runFigure(figure: Figure): Promise<Outcome> {
  if (!existsSync(new URL(`../${figure.script}`, import.meta.url))) {
    return { status: 'skipped', reason: `${figure.script} not found`, lines: [] };
  }
  const load = Number(loadavg()[0]!.toFixed(2));
  // Its own TMPDIR, removed when it ends: the figures' Redis data (AOF of every record), backlog
  // files and work folders go there, and some of them never remove theirs.
  const tmp = await mkdtemp(join(tmpdir(), `mae-bench-run-${figure.name}-`));
  // The real Elasticsearch nodes run as system users (they refuse root): their folders in here must be reachable.
  await chmod(tmp, 0o755);
  tmpDirs.add(tmp);
  const child = spawn(process.execPath, ['--import', 'tsx', figure.script, ...(figure.args ?? [])], {
    cwd: ROOT, env: { ...process.env, ...figure.env, TMPDIR: tmp, ORACLE_CACHE_DIR }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  running.add(child);
  const lines: BenchLine[] = [];
  let lastMessage = '';
  let skipMessage = '';
  let errorMessage = '';
  const prefix = `  [${figure.name}] `;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = parseBenchLine(text);
    if (line) {
      lines.push({ ...line, bench: figure.produces[line.bench] ?? line.bench, load_1m: load, ...(figure.destination ? { destination: figure.destination } : {}) });
      process.stderr.write(`${prefix}${line.bench} ${line.value} ${line.unit}\n`);
    } else if (text.trim() !== '') {
      process.stderr.write(`${prefix}${text}\n`);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (text) => {
    if (text.trim() === '') return;
    lastMessage = text.trim();
    // A figure that can't run here says "skipped: why" (bench/rsyslog.ts does); that is the reason to show.
    const skipped = /\bskipped: (.*)/.exec(text);
    if (skipped && !skipMessage) skipMessage = skipped[1]!.trim();
    // A crash ends with node's version line: the thrown error's own line says more.
    if (!errorMessage && /^\s*\w*Error\b.*: /.test(text)) errorMessage = text.trim();
    process.stderr.write(`${prefix}${text}\n`);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child, 'SIGKILL');
  }, FIGURE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : null))));
  clearTimeout(timer);
  // Whatever the figure started and left behind (its group outlives it) goes with it.
  signalGroup(child, 'SIGKILL');
  running.delete(child);
  await rm(tmp, { recursive: true, force: true });
  tmpDirs.delete(tmp);

  const expected = Object.values(figure.produces);
  const got = lines.filter((l) => expected.includes(l.bench));
  if (interrupted) return { status: 'failed', reason: 'interrupted', lines: [] };
  if (timedOut) return { status: 'failed', reason: `timed out after ${FIGURE_TIMEOUT_MS / 1000} s (BENCH_FIGURE_TIMEOUT_SECONDS)`, lines: [] };
  if (code !== 0) return { status: 'failed', reason: `exit ${code}: ${errorMessage || lastMessage}`, lines: [] };
  if (got.length === 0) return { status: 'skipped', reason: skipMessage || lastMessage || 'printed no figure', lines: [] };
  const missing = expected.filter((name) => !got.some((l) => l.bench === name));
  if (missing.length > 0) return { status: 'failed', reason: `did not print ${missing.join(', ')}`, lines: got };
  return { status: 'ok', lines: got };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median run's line (its details come with it), with every run's value when there were several. */
function summarize(runs: BenchLine[]): BenchLine {
  const values = runs.map((l) => l.value);
  const value = median(values);
  const closest = runs.reduce((best, l) => (Math.abs(l.value - value) < Math.abs(best.value - value) ? l : best));
  const rounded = values.every(Number.isInteger) ? Math.round(value) : Number(value.toFixed(3));
  return RUNS > 1 ? { ...closest, value: rounded, runs: values } : { ...closest, value: rounded };
}

function formatValue(line: BenchLine): string {
  return Number.isInteger(line.value) ? line.value.toLocaleString('en-US') : String(line.value);
}

function printTable(rows: Array<{ name: string; line?: BenchLine; note?: string }>): void {
  const out = ['', `${'figure'.padEnd(28)}${'value'.padStart(12)}  ${'unit'.padEnd(10)}  notes`];
  for (const { name, line, note } of rows) {
    const runs = Array.isArray(line?.runs) ? `runs ${(line.runs as number[]).map((v) => v.toLocaleString('en-US')).join(' / ')}` : '';
    out.push(line
      ? `${name.padEnd(28)}${formatValue(line).padStart(12)}  ${line.unit.padEnd(10)}  ${[runs, note].filter(Boolean).join('; ')}`
      : `${name.padEnd(28)}${'-'.padStart(12)}  ${''.padEnd(10)}  ${note ?? ''}`);
  }
  const [l1, l5] = loadavg();
  out.push(`load average ${l1!.toFixed(2)} (1 min), ${l5!.toFixed(2)} (5 min) on ${cpus().length} cores; ${RUNS} run(s) per figure`, '');
  process.stderr.write(out.join('\n'));
}

/** The most recently changed file under `dir`. */
function newestSource(dir: string): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const { mtimeMs } = statSync(path);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  }
  return newest;
}

async function main(): Promise<number> {
  const wanted = process.env.BENCH_FIGURES?.split(',').map((s) => s.trim()).filter(Boolean);
  const figures = wanted ? FIGURES.filter((f) => wanted.includes(f.name)) : FIGURES;
  // The forwarder runs as operators run it: the built bin (make bench depends on make build).
  if ((process.env.FORWARDER_BUILT ?? '1') === '1') {
    const built = new URL('../dist/server/cli.js', import.meta.url);
    if (!existsSync(built)) {
      process.stderr.write('bench: dist/server/cli.js is missing: run `make build` first (make bench does)\n');
      return 1;
    }
    // A bundle older than the sources would measure the code as it was.
    const stale = newestSource(fileURLToPath(new URL('../server/src', import.meta.url)));
    if (stale && stale.mtimeMs > statSync(built).mtimeMs) {
      process.stderr.write(`bench: dist/server/cli.js is older than ${relative(ROOT, stale.path)}: run \`make build\` first (make bench does)\n`);
      return 1;
    }
    process.env.FORWARDER_BUILT = '1';
  }
  process.stderr.write(`bench: ${figures.map((f) => f.name).join(', ')}; ${RUNS} run(s); load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores\n`);

  const results = new Map<string, BenchLine[]>();
  const problems = new Map<string, Problem>();
  for (let run = 1; run <= RUNS && !interrupted; run++) {
    for (const figure of figures) {
      if (interrupted) break;
      const started = Date.now();
      process.stderr.write(`bench: ${figure.name}${RUNS > 1 ? ` (run ${run}/${RUNS})` : ''}\n`);
      const outcome = await runFigure(figure);
      for (const line of outcome.lines) results.set(line.bench, [...(results.get(line.bench) ?? []), { ...line, run }]);
      if (outcome.status !== 'ok') {
        problems.set(figure.name, outcome);
        process.stderr.write(`bench: ${figure.name} ${outcome.status}: ${outcome.reason}\n`);
      }
      process.stderr.write(`bench: ${figure.name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  }

  const rows: Array<{ name: string; line?: BenchLine; note?: string }> = [];
  const summaries = new Map<string, BenchLine>();
  for (const figure of figures) {
    const problem = problems.get(figure.name);
    const note = problem ? `${problem.status}: ${problem.reason}` : undefined;
    for (const name of Object.values(figure.produces)) {
      const runs = results.get(name);
      if (!runs) {
        rows.push({ name, note: note ?? 'no figure' });
        continue;
      }
      const summary = summarize(runs.map(({ run: _run, ...rest }) => rest as BenchLine));
      summaries.set(name, summary);
      rows.push({ name, line: summary, note });
    }
  }
  const ran = (bench: string) => figures.some((f) => Object.values(f.produces).includes(bench));
  for (const { bench, line, note } of deriveFigures(summaries, results, ran, RUNS)) {
    if (line) summaries.set(bench, line);
    rows.push({ name: bench, line, note });
  }

  for (const line of summaries.values()) process.stdout.write(`${JSON.stringify(line)}\n`);
  for (const { target, status } of checkTargets([...summaries.values()])) {
    const row = rows.find((r) => r.name === target.bench);
    const mark = `target ${describeTarget(target)}: ${status}`;
    if (row) row.note = [row.note, mark].filter(Boolean).join('; ');
  }
  printTable(rows);
  return [...problems.values()].some((p) => p.status === 'failed') ? 1 : 0;
}

process.exitCode = await main();
