import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Walks up from both server/src (tsx) and dist/server (bundle): package.json is two levels up in each.
export const VERSION: string = (require('../../package.json') as { version: string }).version;
