// Bundles the plugin's webapp (webapp/src/index.tsx) into the file plugin.json names.
// React is never bundled: Mattermost's page has it as window.React / window.ReactDOM, and two
// Reacts on one page break hooks. The build fails when plugin.json and package.json disagree
// on the version, so a release can't ship a manifest that lies about what it is.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Throws unless the manifest and package.json carry the same version. */
export function checkVersions(manifest, pkg) {
  if (manifest.version !== pkg.version) {
    throw new Error(`plugin.json version ${manifest.version} differs from package.json version ${pkg.version}: make them equal`);
  }
}

// Module sources that hand out Mattermost's globals in place of the packages.
const GLOBAL_MODULES = {
  react: 'module.exports = window.React;',
  'react-dom': 'module.exports = window.ReactDOM;',
  // The automatic JSX runtime over window.React.createElement: `key` travels in the config,
  // children already sit in props (createElement keeps props.children when given no others).
  'react/jsx-runtime': `
    var React = window.React;
    function jsx(type, props, key) {
      return React.createElement(type, key === undefined ? props : Object.assign({}, props, { key: key }));
    }
    module.exports = { jsx: jsx, jsxs: jsx, Fragment: React.Fragment };`,
};

export const mattermostGlobals = {
  name: 'mattermost-globals',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(GLOBAL_MODULES).map((m) => m.replace(/[/-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'mattermost-global' }));
    b.onLoad({ filter: /.*/, namespace: 'mattermost-global' }, (args) => ({ contents: GLOBAL_MODULES[args.path], loader: 'js' }));
  },
};

export async function buildWebapp({ entry = join(ROOT, 'webapp/src/index.tsx'), outfile } = {}) {
  const manifest = JSON.parse(await readFile(join(ROOT, 'plugin.json'), 'utf8'));
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  checkVersions(manifest, pkg);
  await build({
    entryPoints: [entry],
    outfile: outfile ?? join(ROOT, manifest.webapp.bundle_path),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    plugins: [mattermostGlobals],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebapp();
}
