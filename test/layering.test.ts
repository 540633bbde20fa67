/**
 * The house's layering, read from the import statements themselves: records at the bottom, the
 * transform pure, nothing below the inputs reaching up into them, and the forwarder and the webapp
 * sharing code only through plugin-contract/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = /\.(ts|tsx|mts|mjs)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true })
    .map(String)
    .filter((file) => SOURCE.test(file))
    .map((file) => join(folder, file));
}

/** Each relative import of a file, as a path from the project root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

function violations(folder: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) => relativeImports(file).filter(forbidden).map((target) => `${file} imports ${target}`));
}

const under = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);

test('the imports of this test see real import lines (a known edge is found)', () => {
  assert.ok(relativeImports('server/src/app.ts').includes('server/src/inputs/webhook/index.js'));
});

test('nothing under queue, sinks, transform, records or status imports from the inputs', () => {
  for (const folder of ['server/src/queue', 'server/src/sinks', 'server/src/transform', 'server/src/records', 'server/src/status']) {
    assert.deepEqual(violations(folder, under('server/src/inputs')), []);
  }
});

test('records, the ground floor, imports no other part of the forwarder', () => {
  assert.deepEqual(violations('server/src/records', (target) => !under('server/src/records')(target)), []);
});

test('the transform is pure: it imports nothing of the queue, the sinks, the inputs or the status', () => {
  const higher = ['server/src/queue', 'server/src/sinks', 'server/src/inputs', 'server/src/status', 'server/src/config'].map(under);
  assert.deepEqual(violations('server/src/transform', (target) => higher.some((is) => is(target))), []);
});

test('the enrichment stage sits between the transform and the queue: it imports neither the queue, the sinks, the inputs nor the status', () => {
  const higher = ['server/src/queue', 'server/src/sinks', 'server/src/inputs', 'server/src/status'].map(under);
  assert.deepEqual(violations('server/src/enrich', (target) => higher.some((is) => is(target))), []);
  assert.ok(relativeImports('server/src/queue/to-document-batch.ts').includes('server/src/enrich/index.js'), 'the queue runs it');
});

test('the forwarder and the webapp share code only through plugin-contract/', () => {
  assert.deepEqual(violations('server/src', under('webapp')), []);
  assert.deepEqual(violations('webapp/src', under('server')), []);
  assert.deepEqual(violations('plugin-contract', (target) => under('server')(target) || under('webapp')(target)), []);
});
