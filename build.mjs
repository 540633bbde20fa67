// Bundles the forwarder's CLI and its transform thread (dependencies stay external, installed by npm ci) and the
// Mattermost plugin's webapp (webapp/build.mjs), which the browser tests load.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { buildWebapp } from './webapp/build.mjs';

await build({
  // The transform threads load their own module, beside cli.js (see transform-pool.ts).
  entryPoints: { cli: 'server/src/cli.ts', 'transform-thread': 'server/src/queue/transform-thread.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  // The heap cap keeps the forwarder's RSS low: under load V8 otherwise lets garbage grow the old
  // generation far beyond the live set. Run `node --max-old-space-size=N dist/server/cli.js` to choose.
  // A smaller young generation and a fixed mmap threshold for glibc's malloc (freed large buffers go
  // back to the system instead of fragmenting its heap) keep a flood of large bodies some 70 MB lower.
  banner: { js: '#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-old-space-size=256 --max-semi-space-size=8' },
  logLevel: 'warning',
});
await chmod('dist/server/cli.js', 0o755);
await buildWebapp();
