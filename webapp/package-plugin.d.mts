// Types of package-plugin.mjs for the TypeScript tests that import it.
export function packagePlugin(options?: { outDir?: string }): Promise<string>;
