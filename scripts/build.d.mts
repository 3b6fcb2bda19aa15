/** Bundles the plugin into <packageRoot>/lib (removed first); resolves with the outputs of esbuild's metafiles. See build.mjs. */
export declare const buildPlugin: (packageRoot?: string) => Promise<{ outputs: Record<string, { bytes: number }> }>;
