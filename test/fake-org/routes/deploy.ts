/** Deploys shared by the SOAP and REST Metadata API: read package.xml from the zip, report every member deployed. */
import type { OrgState } from '../state.js';
import { randomId } from '../wire/ids.js';
import { readZip } from '../wire/zip.js';

export type DeployMessage = {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  success: boolean;
  problem?: string;
  problemType?: string;
};

export type DeployResult = {
  id: string;
  checkOnly: boolean;
  completedDate: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: {
    componentSuccesses: DeployMessage[];
    componentFailures: DeployMessage[];
    runTestResult: { numFailures: number; numTestsRun: number; totalTime: number };
  };
  done: boolean;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate: string;
  status: string;
  success: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
};

const KEY_PREFIX: Record<string, string> = {
  ApexClass: '01p', ApexTrigger: '01q', ApexPage: '066', ApexComponent: '099', CustomObject: '01I', CustomField: '00N',
  Layout: '00h', PermissionSet: '0PS', Profile: '00e', LightningComponentBundle: '0Rb', AuraDefinitionBundle: '0Ab',
  StaticResource: '081', CustomTab: '01r', Flow: '301', ValidationRule: '03d', ListView: '00B', RecordType: '012',
};
const BUNDLE_FOLDERS = new Set(['lwc', 'aura', 'experiences', 'waveTemplates']);

function tagValues(xmlText: string, tag: string): string[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${tag}\\b[^>]*>([\\s\\S]*?)</(?:[\\w.-]+:)?${tag}>`, 'g');
  return [...xmlText.matchAll(re)].map((m) => m[1].trim());
}

/** fileName of a member as Salesforce reports it (relative to the package root). */
function fileNameOf(files: string[], type: string, member: string): string {
  const parent = member.includes('.') && !['Layout', 'QuickAction', 'CustomMetadata'].includes(type) ? member.split('.')[0] : member;
  const base = (f: string): string => (f.split('/').pop() ?? f).replace(/-meta\.xml$/, '').replace(/\.[^.]+$/, '');
  const hit = files.find((f) => !f.endsWith('-meta.xml') && base(f) === parent) ?? files.find((f) => base(f) === parent);
  if (!hit) return `${type}/${member}`;
  const segs = hit.split('/');
  if (BUNDLE_FOLDERS.has(segs[0]) && segs.length > 2) return segs.slice(0, 2).join('/');
  return hit.replace(/-meta\.xml$/, '');
}

export function startDeploy(state: OrgState, zip: Buffer, userId: string, options: { checkOnly?: boolean; rollbackOnError?: boolean; ignoreWarnings?: boolean }): DeployResult {
  const now = new Date().toISOString();
  const id = randomId('0Af');
  const user = state.getUser(userId);
  const successes: DeployMessage[] = [];
  const failures: DeployMessage[] = [];
  let errorMessage: string | undefined;
  try {
    const entries = readZip(zip);
    const pkg = entries.find((e) => /(^|\/)package\.xml$/.test(e.name));
    if (!pkg) {
      errorMessage = 'No package.xml found';
    } else {
      const root = pkg.name.slice(0, pkg.name.length - 'package.xml'.length);
      const files = entries.map((e) => e.name).filter((n) => n.startsWith(root)).map((n) => n.slice(root.length));
      const msg = (componentType: string, fullName: string, fileName: string, created: boolean): DeployMessage => ({
        changed: true, componentType, created, createdDate: now, deleted: false, fileName, fullName,
        ...(componentType ? { id: randomId(KEY_PREFIX[componentType] ?? '000') } : {}), success: true,
      });
      for (const types of tagValues(pkg.data.toString('utf8'), 'types')) {
        const type = tagValues(types, 'name')[0];
        for (const member of tagValues(types, 'members')) {
          if (type && member !== '*') successes.push(msg(type, member, fileNameOf(files, type, member), true));
        }
      }
      successes.push(msg('', 'package.xml', 'package.xml', false));
    }
  } catch (e) {
    errorMessage = `Invalid zip: ${(e as Error).message}`;
  }
  const count = successes.filter((s) => s.componentType).length;
  const result: DeployResult = {
    id,
    checkOnly: options.checkOnly === true,
    completedDate: now,
    createdBy: userId,
    createdByName: user?.username.split('@')[0] ?? 'User',
    createdDate: now,
    details: { componentSuccesses: errorMessage ? [] : successes, componentFailures: failures, runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 } },
    done: true,
    ignoreWarnings: options.ignoreWarnings === true,
    lastModifiedDate: now,
    numberComponentErrors: 0,
    numberComponentsDeployed: errorMessage ? 0 : count,
    numberComponentsTotal: errorMessage ? 0 : count,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: options.rollbackOnError !== false,
    runTestsEnabled: false,
    startDate: now,
    status: errorMessage ? 'Failed' : 'Succeeded',
    success: !errorMessage,
    ...(errorMessage ? { errorMessage, errorStatusCode: 'INVALID_CROSS_REFERENCE_KEY' } : {}),
  };
  if (result.success && !result.checkOnly) {
    for (const c of successes) if (c.componentType && c.id) state.trackChange(c.componentType, c.fullName, c.id, userId, Date.now());
  }
  state.deploys.set(id, result);
  return result;
}

/** Without details, Salesforce leaves the component lists empty. */
export function deployStatus(state: OrgState, id: string, includeDetails: boolean): DeployResult | undefined {
  const r = state.deploys.get(id);
  if (!r) return undefined;
  return includeDetails ? r : { ...r, details: { ...r.details, componentSuccesses: [], componentFailures: [] } };
}
