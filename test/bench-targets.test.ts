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
  { bench: 'transform', value: 200_000, unit: 'records/s' },
  { bench: 'end_to_end', value: 24_000, unit: 'records/s' },
  { bench: 'memory', value: 196, unit: 'MB' },
  { bench: 'elastic_pipeline_ratio', value: 2.0, unit: 'ratio' },
  { bench: 'es_ceiling_share', value: 0.8, unit: 'ratio' },
  { bench: 'forwarder_cpu_us_per_record', value: 20, unit: 'us/record' },
  // No target any more: a low value must not fail the check.
  { bench: 'rsyslog_ratio', value: 0.5, unit: 'ratio' },
];

test('the target check passes the figures through and exits 0 when every target is met, at the limits too', () => {
  const { code, stdout, stderr } = check(meeting);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim().split('\n').length, meeting.length + 1);
  assert.match(stderr, /all targets met/);
  assert.doesNotMatch(stderr, /rsyslog_ratio/);
});

test('the target check exits 1 naming a missed target and a figure that was never printed', () => {
  const [transform, endToEnd, memory, , share, cpu] = meeting;
  const { code, stderr } = check([
    { ...transform!, value: 199_999 }, endToEnd!, { ...memory!, value: 300 }, { ...share!, value: 0.79 }, { ...cpu!, value: 20.01 },
  ]);
  assert.equal(code, 1);
  assert.match(stderr, /transform .* 199,999\s+missed/);
  assert.match(stderr, /memory .* 300\s+missed/);
  assert.match(stderr, /es_ceiling_share .* 0\.79\s+missed/);
  assert.match(stderr, /forwarder_cpu_us_per_record .* 20\.01\s+missed/);
  assert.match(stderr, /elastic_pipeline_ratio .* no figure\s+absent/);
  assert.match(stderr, /5 of 6 targets not met: transform, memory, elastic_pipeline_ratio, es_ceiling_share, forwarder_cpu_us_per_record/);
});
