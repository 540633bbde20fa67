import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

/** bench/check-targets.ts fed `lines` as make bench would print them. */
function check(lines: object[]): { code: number | null; stdout: string; stderr: string } {
  const input = [...lines.map((l) => JSON.stringify(l)), 'not a figure'].join('\n');
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/check-targets.ts'], { cwd: PROJECT_ROOT, input, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const meeting = [
  { bench: 'transform', value: 130_000, unit: 'records/s' },
  { bench: 'end_to_end', value: 24_000, unit: 'records/s' },
  { bench: 'memory', value: 196, unit: 'MB' },
  { bench: 'rsyslog_ratio', value: 1.2, unit: 'ratio' },
];

test('the target check passes the figures through and exits 0 when every target is met', () => {
  const { code, stdout, stderr } = check(meeting);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim().split('\n').length, meeting.length + 1);
  assert.match(stderr, /all targets met/);
});

test('the target check exits 1 naming a missed target and a figure that was never printed', () => {
  const { code, stderr } = check([meeting[0]!, { ...meeting[1]!, value: 19_999 }, { ...meeting[2]!, value: 300 }]);
  assert.equal(code, 1);
  assert.match(stderr, /end_to_end .* 19,999\s+missed/);
  assert.match(stderr, /memory .* 300\s+missed/);
  assert.match(stderr, /rsyslog_ratio .* no figure\s+absent/);
  assert.match(stderr, /3 of 4 targets not met: end_to_end, memory, rsyslog_ratio/);
});
