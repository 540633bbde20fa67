// Types of build.mjs for the TypeScript tests that import it.
import type { Plugin } from 'esbuild';

export function checkVersions(manifest: { version: string }, pkg: { version: string }): void;
export const mattermostGlobals: Plugin;
export function buildWebapp(options?: { entry?: string; outfile?: string }): Promise<void>;
