/**
 * Files of the package itself. This module is at the same depth in the sources (server/src/)
 * and in the bundle (dist/server/), so paths relative to it hold in both.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));
