/**
 * Reads `make bench`'s JSON lines on stdin, passes them through to stdout, and checks the targets:
 * one line per target on stderr, exit 1 when one is missed or its figure is absent.
 *   make bench | node --import tsx bench/check-targets.ts        (what `make bench-check` runs)
 */
import { createInterface } from 'node:readline';
import { checkTargets, describeTarget, parseBenchLine, type BenchLine } from './targets.js';

const lines: BenchLine[] = [];
for await (const text of createInterface({ input: process.stdin })) {
  process.stdout.write(`${text}\n`);
  const line = parseBenchLine(text);
  if (line) lines.push(line);
}
const results = checkTargets(lines);
for (const { target, status, value } of results) {
  const shown = value === undefined ? 'no figure' : value.toLocaleString('en-US');
  process.stderr.write(`target ${target.bench.padEnd(14)} ${describeTarget(target).padEnd(22)} ${shown.padStart(10)}  ${status}\n`);
}
const failed = results.filter((r) => r.status !== 'met');
process.stderr.write(failed.length === 0 ? 'all targets met\n' : `${failed.length} of ${results.length} targets not met: ${failed.map((r) => r.target.bench).join(', ')}\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
