/** The steering repo's shared/ folder sits beside the project's checkout (CI puts it there). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function sharedFixture(...parts: string[]): string {
  const base = process.env.SHARED_DIR ?? resolve(PROJECT_ROOT, '../shared');
  const path = join(base, 'fixtures', ...parts);
  if (!existsSync(path)) throw new Error(`shared fixture ${path} not found: put shared/ beside the checkout or set SHARED_DIR`);
  return path;
}
