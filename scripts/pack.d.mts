/** Builds and packs the plugin into `destination` (created if missing); resolves with the tarball's absolute path. See pack.mjs. */
export declare const packPlugin: (destination: string) => Promise<string>;
