// Bundles the forwarder's CLI (dependencies stay external, installed by npm ci) and the
// Mattermost plugin's webapp (webapp/build.mjs), which the browser tests load.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { buildWebapp } from './webapp/build.mjs';

await build({
  entryPoints: ['server/src/cli.ts'],
  outfile: 'dist/server/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  // The heap cap keeps the forwarder's RSS low: under load V8 otherwise lets garbage grow the old
  // generation far beyond the live set. Run `node --max-old-space-size=N dist/server/cli.js` to choose.
  banner: { js: '#!/usr/bin/env -S node --max-old-space-size=256' },
  logLevel: 'warning',
});
await chmod('dist/server/cli.js', 0o755);
await buildWebapp();
