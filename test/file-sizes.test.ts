/**
 * The house keeps files readable in one sitting: every hand-written source file within 320 lines
 * (split when a file does two things). Generated files and data tables are not read that way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const MAX_LINES = 320;
const FOLDERS = ['server/src', 'webapp/src', 'plugin-contract', 'test', 'bench', 'scripts'];
const SOURCE = /\.(ts|tsx|mts|mjs|js|sh)$/;
/** Not prose to read top to bottom: each is a table, with its reason. */
const DATA_TABLES: Record<string, string> = {
  'server/src/transform/audit-event-catalog.ts': 'one ECS categorization per Mattermost audit event name',
};

function handWrittenFiles(): string[] {
  return FOLDERS.flatMap((folder) => readdirSync(join(ROOT, folder), { recursive: true })
    .map(String)
    .filter((file) => SOURCE.test(file) && !file.includes('.generated.') && !file.includes('node_modules'))
    .map((file) => join(folder, file)));
}

test('the size check sees the source files (this one among them)', () => {
  assert.ok(handWrittenFiles().includes('test/file-sizes.test.ts'));
});

test(`every hand-written source file has at most ${MAX_LINES} lines`, () => {
  const tooLong = handWrittenFiles()
    .filter((file) => !(file in DATA_TABLES))
    .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
  assert.deepEqual(tooLong, []);
});
