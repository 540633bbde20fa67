// Runs every test file with node's test runner, then prints the plain closing line CI reads.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync('test', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', f))
  .sort();
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files;

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...selected], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// All of it: with failures, the runner repeats them (stacks included) after its totals.
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
child.on('close', (code) => {
  const count = (name) => Number([...output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const summary = `${passed} passed, ${failed} failed, ${count('skipped')} skipped`;
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/summary.txt', `${summary}\n`);
  console.log(summary);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
