import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { childOutput } from '../childOutput.js';
import { rejection } from '../rejection.js';

describe('test support: childOutput', () => {
  const node = (script: string) => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });

  it('collects both outputs and the exit code', async () => {
    const output = await childOutput(node("process.stdout.write('out'); process.stderr.write('err'); process.exitCode = 3"));
    expect(output).to.deep.equal({ code: 3, signal: null, stdout: 'out', stderr: 'err' });
  });

  it('kills a child that outlives its time, and keeps what it wrote', async () => {
    const started = Date.now();
    const output = await childOutput(node("process.stdout.write('started'); setInterval(() => {}, 1000)"), 1000);
    expect(output).to.include({ code: null, signal: 'SIGKILL', stdout: 'started' });
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('rejects when the child cannot start', async () => {
    const error = await rejection<NodeJS.ErrnoException>(childOutput(spawn('/nonexistent/command', [], { stdio: ['ignore', 'pipe', 'pipe'] })));
    expect(error.code).to.equal('ENOENT');
  });
});
