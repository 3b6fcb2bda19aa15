/** Bundles the plugin into <packageRoot>/lib (removed first); resolves with the outputs of esbuild's metafiles. See build.mjs. */
export declare const buildPlugin: (packageRoot?: string) => Promise<{ outputs: Record<string, { bytes: number }> }>;
/** The names a module of @salesforce/core exports in the checkout's core (what the bundle's stand-in for it exports). */
export declare const coreExportNames: (specifier: string) => string[];
/** The source of the bundle's stand-in for a module of @salesforce/core. */
export declare const hostCoreModule: (specifier: string) => string;
/** The esbuild plugin that makes the shipped bundle (host core, sf-plugins-core's stand-ins, no crash seam). */
export declare const shipping: import('esbuild').Plugin;
