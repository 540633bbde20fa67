// `make dist`: the tarball an admin uploads in System Console → Plugins. Same layout as
// Mattermost's plugin starter template: <id>/plugin.json and the webapp bundle at the path the
// manifest names, packed as dist/<id>-<version>.tar.gz. Only dist/<id> is replaced: dist/ also
// holds the forwarder's CLI build.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkVersions } from './build.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function packagePlugin({ outDir = join(ROOT, 'dist') } = {}) {
  const manifest = JSON.parse(await readFile(join(ROOT, 'plugin.json'), 'utf8'));
  checkVersions(manifest, JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')));
  const bundle = join(ROOT, manifest.webapp.bundle_path);
  await stat(bundle).catch(() => {
    throw new Error(`${manifest.webapp.bundle_path} is missing: run make build first`);
  });
  const stage = join(outDir, manifest.id);
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, dirname(manifest.webapp.bundle_path)), { recursive: true });
  await copyFile(join(ROOT, 'plugin.json'), join(stage, 'plugin.json'));
  await copyFile(bundle, join(stage, manifest.webapp.bundle_path));
  const tarball = join(outDir, `${manifest.id}-${manifest.version}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', tarball, '-C', outDir, manifest.id], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`tar failed with status ${tar.status}`);
  return tarball;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`plugin built at: ${await packagePlugin()}`);
}
