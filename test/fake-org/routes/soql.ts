/** A tiny SOQL engine over the fake org's few objects (SELECT fields FROM obj [WHERE] [ORDER BY] [LIMIT]). */
import { ACTIVE_SCRATCH_ORG_FIELDS, SCRATCH_ORG_INFO_FIELDS } from '../devHub.js';
import type { Row } from '../devHub.js';
import type { OrgState } from '../state.js';
import { matchesId } from '../wire/ids.js';
import { json, notFound, restError } from './reply.js';
import type { Reply } from './reply.js';

type FieldType = 'id' | 'string' | 'boolean' | 'datetime' | 'date' | 'int';
/** A lookup to another table: `CreatedBy.Username` reads the User row whose Id is the row's CreatedById. */
type Relation = { idField: string; table: string };
type Table = { name: string; keyPrefix: string; fields: Record<string, FieldType>; rows: Row[]; relations?: Record<string, Relation> };

const USER_RELATIONS: Record<string, Relation> = {
  CreatedBy: { idField: 'CreatedById', table: 'User' },
  LastModifiedBy: { idField: 'LastModifiedById', table: 'User' },
  Owner: { idField: 'OwnerId', table: 'User' },
};

/** Field types of a Dev Hub object, from its field names. */
function typesOf(fields: string[]): Record<string, FieldType> {
  const typeOf = (f: string): FieldType => {
    if (f === 'Id' || /^(Owner|CreatedBy|LastModifiedBy)Id$|^ScratchOrgInfoId$/.test(f)) return 'id';
    if (/^(Is|Has)[A-Z]/.test(f)) return 'boolean';
    if (f === 'ExpirationDate') return 'date';
    if (/Date$|^SystemModstamp$/.test(f)) return 'datetime';
    if (f.endsWith('Days')) return 'int';
    return 'string';
  };
  return Object.fromEntries(fields.map((f) => [f, typeOf(f)]));
}

const CREATED = '2025-01-01T00:00:00.000+0000';

export function tables(state: OrgState): Table[] {
  const list: Table[] = [
    {
      name: 'Organization',
      keyPrefix: '00D',
      fields: {
        Id: 'id', Name: 'string', InstanceName: 'string', IsSandbox: 'boolean', TrialExpirationDate: 'datetime',
        NamespacePrefix: 'string', OrganizationType: 'string', LanguageLocaleKey: 'string', TimeZoneSidKey: 'string', CreatedDate: 'datetime',
      },
      rows: [{
        Id: state.orgId, Name: 'Fake Org', InstanceName: 'FAKE1', IsSandbox: false, TrialExpirationDate: null, NamespacePrefix: null,
        OrganizationType: 'Developer Edition', LanguageLocaleKey: 'en_US', TimeZoneSidKey: 'America/Los_Angeles', CreatedDate: CREATED,
        ...state.organization,
      }],
    },
    {
      name: 'User',
      keyPrefix: '005',
      fields: { Id: 'id', Username: 'string', Email: 'string', Name: 'string', FirstName: 'string', LastName: 'string', IsActive: 'boolean', UserType: 'string', CreatedDate: 'datetime' },
      rows: state.allUsers().map((u) => {
        const nick = u.username.split('@')[0];
        return {
          Id: u.userId, Username: u.username, Email: u.email ?? u.username, Name: nick, FirstName: null, LastName: nick,
          IsActive: u.active !== false, UserType: 'Standard', CreatedDate: CREATED,
        };
      }),
    },
    {
      name: 'Account',
      keyPrefix: '001',
      fields: { Id: 'id', Name: 'string', IsDeleted: 'boolean', CreatedDate: 'datetime' },
      rows: state.accounts.map((a) => ({ Id: a.Id, Name: a.Name, IsDeleted: false, CreatedDate: CREATED })),
    },
  ];
  if (state.devHub) {
    list.push(
      { name: 'ScratchOrgInfo', keyPrefix: '2SR', fields: typesOf(SCRATCH_ORG_INFO_FIELDS), rows: state.devHub.scratchOrgInfoRows(), relations: USER_RELATIONS },
      { name: 'ActiveScratchOrg', keyPrefix: '2AS', fields: typesOf(ACTIVE_SCRATCH_ORG_FIELDS), rows: state.devHub.activeScratchOrgRows(), relations: USER_RELATIONS }
    );
  }
  return list;
}

/** The Tooling API's objects: SourceMember in an org that tracks source (a scratch org). */
export function toolingTables(state: OrgState): Table[] {
  if (!state.sourceTracking) return [];
  return [{
    name: 'SourceMember',
    keyPrefix: '0MZ',
    fields: {
      Id: 'id', MemberIdOrName: 'string', MemberType: 'string', MemberName: 'string', IsNameObsolete: 'boolean', RevisionCounter: 'int',
      IsNewMember: 'boolean', ChangedBy: 'id', LastModifiedDate: 'datetime', IsDeleted: 'boolean',
    },
    rows: state.sourceMembers.map((m) => ({ ...m })),
  }];
}

/** Salesforce's parse error text: the query, a caret under the column, the position, the reason. */
function soqlError(errorCode: string, q: string, index: number, text: string): Reply {
  const col = Math.max(index, 0);
  return restError(400, errorCode, `\n${q}\n${' '.repeat(col)}^\nERROR at Row:1:Column:${col + 1}\n${text}`);
}

const malformed = (q: string, index: number, token: string): Reply =>
  soqlError('MALFORMED_QUERY', q, index, `unexpected token: '${token}'`);

type CompareOp = '<' | '<=' | '>' | '>=';
type Cond = { field: string; op: '=' | '!=' | 'in' | CompareOp; values: Array<string | number | boolean | null> };

function parseLiteral(raw: string): string | number | boolean | null | undefined {
  const s = raw.trim();
  if (/^'(?:[^'\\]|\\.)*'$/.test(s)) return s.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === 'true';
  if (/^null$/i.test(s)) return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return undefined;
}

function parseWhere(where: string): Cond[] | undefined {
  const conds: Cond[] = [];
  for (const part of where.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s*(!=|<>|<=|>=|=|<|>|\s+in\s+)\s*([\s\S]+?)\s*$/i.exec(part);
    if (!m) return undefined;
    const op = m[2].trim().toLowerCase();
    if (op === 'in') {
      const list = /^\(([\s\S]*)\)$/.exec(m[3]);
      const values = list ? list[1].split(',').map(parseLiteral) : [undefined];
      if (values.some((v) => v === undefined)) return undefined;
      conds.push({ field: m[1], op: 'in', values: values as Cond['values'] });
    } else {
      const v = parseLiteral(m[3]);
      if (v === undefined) return undefined;
      const compare = ['<', '<=', '>', '>='].includes(op) ? (op as CompareOp) : undefined;
      conds.push({ field: m[1], op: compare ?? (op === '=' ? '=' : '!='), values: [v] });
    }
  }
  return conds;
}

/** A record as the REST API answers it: its type and URL under `base` (`/services/data/vNN.0`, or its `/tooling`), then the fields. */
export function recordAnswer(base: string, type: string, id: Row[string], fields: Row): Record<string, unknown> {
  return { attributes: { type, url: `${base}/sobjects/${type}/${String(id)}` }, ...fields };
}

const APEX_TYPES: Record<FieldType, string> = { id: 'Id', string: 'String', boolean: 'Boolean', datetime: 'Datetime', date: 'Date', int: 'Integer' };

export function runQuery(state: OrgState, q: string, version: string, columns: boolean, api: 'data' | 'tooling' = 'data'): Reply {
  const m = /^\s*select\s+([\s\S]+?)\s+from\s+(\w+)([\s\S]*)$/i.exec(q);
  if (!m) return malformed(q, 0, q.trim().split(/\s+/)[0] ?? '');
  /** The API's tables; a relationship field reads one of them (only the data API's objects have relations). */
  const all = api === 'tooling' ? toolingTables(state) : tables(state);
  const table = all.find((t) => t.name.toLowerCase() === m[2].toLowerCase());
  const base = api === 'tooling' ? `/services/data/v${version}/tooling` : `/services/data/v${version}`;
  const objIndex = q.indexOf(m[2], q.toLowerCase().indexOf(' from ') + 1);
  if (!table) {
    return soqlError('INVALID_TYPE', q, objIndex,
      `sObject type '${m[2]}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  const canonical = (name: string): string | undefined => Object.keys(table.fields).find((f) => f.toLowerCase() === name.toLowerCase());
  const noColumn = (name: string): Reply =>
    soqlError('INVALID_FIELD', q, Math.max(q.indexOf(name), 0),
      `No such column '${name}' on entity '${table.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);

  const rest = /^\s*(?:where\s+([\s\S]+?))?\s*(?:order\s+by\s+(\w+)(?:\s+(asc|desc))?)?\s*(?:limit\s+(\d+))?\s*(?:offset\s+(\d+))?\s*$/i.exec(m[3]);
  if (!rest) {
    const tail = m[3].trim();
    return malformed(q, q.length - m[3].length + m[3].indexOf(tail), tail.split(/\s+/)[0]);
  }
  const isCount = /^count\(\s*\)$/i.test(m[1].trim());
  const selected: string[] = [];
  /** Relationship fields (`CreatedBy.Username`), by relation. */
  const related = new Map<string, { relation: Relation; target: Table; fields: string[] }>();
  if (!isCount) {
    for (const raw of m[1].split(',').map((s) => s.trim())) {
      const dotted = /^(\w+)\.(\w+)$/.exec(raw);
      if (dotted) {
        const relName = Object.keys(table.relations ?? {}).find((r) => r.toLowerCase() === dotted[1].toLowerCase());
        const relation = relName ? table.relations?.[relName] : undefined;
        const target = relation ? all.find((t) => t.name === relation.table) : undefined;
        const field = target ? Object.keys(target.fields).find((f) => f.toLowerCase() === dotted[2].toLowerCase()) : undefined;
        if (!relName || !relation || !target) {
          return soqlError('INVALID_FIELD', q, Math.max(q.indexOf(raw), 0),
            `Didn't understand relationship '${dotted[1]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
        }
        if (!field) return noColumn(raw);
        const entry = related.get(relName) ?? { relation, target, fields: [] };
        entry.fields.push(field);
        related.set(relName, entry);
        continue;
      }
      if (!/^\w+$/.test(raw)) return malformed(q, q.indexOf(raw), raw);
      const f = canonical(raw);
      if (!f) return noColumn(raw);
      selected.push(f);
    }
  }
  const conds = rest[1] ? parseWhere(rest[1]) : [];
  if (!conds) return malformed(q, q.indexOf(rest[1] ?? ''), (rest[1] ?? '').split(/\s+/)[0]);
  for (const c of conds) {
    const f = canonical(c.field);
    if (!f) return noColumn(c.field);
    c.field = f;
  }
  let rows = table.rows.filter((r) =>
    conds.every((c) => {
      if (c.op === '<' || c.op === '<=' || c.op === '>' || c.op === '>=') {
        const [a, b] = [r[c.field], c.values[0]];
        if (a === null || b === null) return false;
        const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
        return c.op === '<' ? order < 0 : c.op === '<=' ? order <= 0 : c.op === '>' ? order > 0 : order >= 0;
      }
      const hit = c.values.some((v) => r[c.field] === v || (typeof v === 'string' && typeof r[c.field] === 'string' && c.field === 'Id' && String(r[c.field]).startsWith(v)));
      return c.op === '!=' ? !hit : hit;
    }));
  if (rest[2]) {
    const f = canonical(rest[2]);
    if (!f) return noColumn(rest[2]);
    const dir = rest[3]?.toLowerCase() === 'desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => String(a[f] ?? '').localeCompare(String(b[f] ?? '')) * dir);
  }
  const total = rows.length;
  rows = rows.slice(Number(rest[5] ?? 0), rest[4] !== undefined ? Number(rest[5] ?? 0) + Number(rest[4]) : undefined);

  if (columns) {
    return json(200, {
      columnMetadata: selected.map((f) => {
        const type = table.fields[f];
        return {
          aggregate: false, apexType: APEX_TYPES[type], booleanType: type === 'boolean', columnName: f, custom: false,
          displayName: f, foreignKeyName: null, insertable: type !== 'id', joinColumns: [], numberType: type === 'int',
          textType: type === 'string', updatable: type !== 'id',
        };
      }),
      entityName: table.name,
      groupBy: false,
      idSelected: selected.includes('Id'),
      keyPrefix: table.keyPrefix,
    });
  }
  if (isCount) return json(200, { totalSize: total, done: true, records: [] });
  return json(200, {
    totalSize: rows.length,
    done: true,
    records: rows.map((r) => {
      const rec = recordAnswer(base, table.name, r.Id, Object.fromEntries(selected.map((f) => [f, r[f]])));
      for (const [relName, { relation, target, fields }] of related) {
        const row = target.rows.find((t) => t.Id === r[relation.idField]);
        rec[relName] = row ? recordAnswer(`/services/data/v${version}`, target.name, row.Id, Object.fromEntries(fields.map((f) => [f, row[f]]))) : null;
      }
      return rec;
    }),
  });
}

/** One record by id, all fields (GET …/sobjects/{type}/{id}). */
export function getRecord(state: OrgState, type: string, id: string, version: string): Reply {
  const table = tables(state).find((t) => t.name.toLowerCase() === type.toLowerCase());
  if (!table) return notFound();
  const row = table.rows.find((r) => matchesId(String(r.Id), id));
  if (!row) return restError(404, 'NOT_FOUND', 'Provided external ID field does not exist or is not accessible: ' + id);
  return json(200, recordAnswer(`/services/data/v${version}`, table.name, row.Id, row));
}
