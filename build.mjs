// Bundles the forwarder's CLI (dependencies stay external, installed by npm ci).
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

await build({
  entryPoints: ['server/src/cli.ts'],
  outfile: 'dist/server/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
await chmod('dist/server/cli.js', 0o755);
