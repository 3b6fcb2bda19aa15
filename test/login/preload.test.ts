import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { loadWhileTheOrgAnswers } from '../../src/login/preload.js';
import { FakeOrg } from '../fake-org/server.js';
import { httpSend } from '../../src/shared/http.js';

/**
 * The command loads registration's modules while the org answers (see the command): each step
 * after every request so far has gone out, before the answer when the org is slow, none before the
 * first request or after the login; a failing step stops nothing.
 */
describe('org login client-credentials: loading while the org answers', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await FakeOrg.start({ latencyMs: 300 });
  });
  afterEach(() => org.stop());

  const userinfo = () => httpSend({ method: 'GET', url: `${org.url}/services/oauth2/userinfo` });
  const tick = () => sleep(20);

  it('runs the steps in order once the request is out, before its answer, a failing one included', async () => {
    const ran: string[] = [];
    const stop = loadWhileTheOrgAnswers([
      () => ran.push('first'),
      () => {
        ran.push('second');
        throw new Error('a step that fails');
      },
      async () => {
        await tick();
        ran.push('third');
      },
    ]);
    await tick();
    expect(ran, 'before any request').to.deep.equal([]);
    const answer = userinfo().then(() => ran.push('answer'));
    await answer;
    stop();
    expect(ran).to.deep.equal(['first', 'second', 'third', 'answer']);
    expect(org.requests).to.have.length(1);
  });

  it('runs nothing once stopped', async () => {
    const ran: string[] = [];
    const stop = loadWhileTheOrgAnswers([() => ran.push('step')]);
    stop();
    await userinfo();
    await tick();
    expect(ran).to.deep.equal([]);
  });
});
