import { expect } from 'chai';
import { checkHost } from '../../src/login/hostCheck.js';
import type { HostCore } from '../../src/extension/hostCore.js';
import { thrown } from '../support/rejection.js';

const host = (version: string): HostCore => ({ require: (() => undefined) as unknown as HostCore['require'], packageRoot: '/x', version, source: 'cli' });

describe('hostCheck', () => {
  it('lets a login through on sf with @salesforce/core 8 or 9', () => {
    for (const version of ['8.24.0', '8.32.6', '9.4.0']) expect(() => checkHost({ host: host(version), sf: '2.1.0', node: '20.20.2' }), version).to.not.throw();
  });

  it('refuses another core, or none, naming sf, core and Node, and what to install', () => {
    const error = thrown(() => checkHost({ host: host('10.0.1'), sf: '2.170.0', node: '24.1.0' }));
    expect(error.name).to.equal('UnsupportedSfError');
    expect(error.message).to.include('version 2.170.0').and.include('@salesforce/core 10.0.1').and.include('Node.js 24.1.0');
    expect((error as Error & { actions?: string[] }).actions?.join('\n')).to.include('sf 2.150.6').and.include('sf 2.146.3');
    expect(thrown(() => checkHost({ node: '20.1.0' })).message).to.include('version unknown').and.include('@salesforce/core none');
  });
});
