/**
 * What the login reads of a project, from @salesforce/core: imported by projectLoginUrl.ts only
 * when a login has no --instance-url. The imports are static so that the build checks each name
 * against the modules of core (scripts/build.mjs); in the bundle they come from sf's own core.
 */
export { SfProject } from '@salesforce/core/project';
export { ConfigAggregator } from '@salesforce/core/configAggregator';
