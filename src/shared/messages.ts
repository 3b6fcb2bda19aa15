import { Messages } from '@salesforce/core/messages';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);

/** The npm name of this plugin: the namespace of every message bundle in messages/. */
const PLUGIN_NAME = 'sf-plugin-client-credentials';

/** Loads one bundle of messages/ (the file name without .md). */
export const loadMessages = (bundle: string): Messages<string> => Messages.loadMessages(PLUGIN_NAME, bundle);
