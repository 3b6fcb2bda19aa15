import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { CRASH_VARIABLE } from '../../src/shared/crashPoint.js';

const MODULE = fileURLToPath(new URL('../../src/shared/crashPoint.ts', import.meta.url));

/** Runs crashPoint(step) in a fresh Node process with the crash variable set to `armed` (or unset). */
const runStep = (step: string, armed: string | undefined): { status: number | null; signal: NodeJS.Signals | null; stdout: string } => {
  const env = { ...process.env };
  delete env[CRASH_VARIABLE];
  if (armed !== undefined) env[CRASH_VARIABLE] = armed;
  const script = `import { crashPoint } from ${JSON.stringify(MODULE)}; crashPoint(${JSON.stringify(step)}); console.log('went on');`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  return { status: run.status, signal: run.signal, stdout: run.stdout };
};

describe('crashPoint', () => {
  it('kills the process with SIGKILL at the step the variable names', () => {
    const run = runStep('alias-written', 'alias-written');
    expect(run.signal).to.equal('SIGKILL');
    expect(run.stdout).to.equal('');
  });

  it('does nothing at another step, or without the variable', () => {
    for (const armed of ['auth-file-written', undefined]) {
      const run = runStep('alias-written', armed);
      expect(run.signal, String(armed)).to.equal(null);
      expect(run.stdout.trim()).to.equal('went on');
    }
  });
});
