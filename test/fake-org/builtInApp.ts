/** sf's built-in connected app, which every Salesforce org knows (no secret, a callback on localhost), and the default callback URL of apps. */

/** The consumer key of sf's built-in app (@salesforce/core's DEFAULT_CONNECTED_APP_INFO). */
export const BUILT_IN_APP_ID = 'PlatformCLI';

/** The callback sf uses for its OAuth flows and asks scratch org signups for (port 1717 unless a project's oauthLocalPort says otherwise). */
export const DEFAULT_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';

/** Callbacks the built-in app accepts: sf's local OAuth server on any port (a guess: see README). */
export const isBuiltInCallback = (uri: string): boolean => /^http:\/\/localhost:\d{1,5}\/OauthRedirect$/.test(uri);
