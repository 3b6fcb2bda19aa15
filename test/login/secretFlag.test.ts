import { expect } from 'chai';
import { SECRET_PLACEHOLDER, withdrawSecretFlag } from '../../src/login/secretFlag.js';

describe('withdrawSecretFlag', () => {
  const cases: Array<{ title: string; argv: string[]; expected: string[]; values: string[] }> = [
    {
      title: '--client-secret S',
      argv: ['-i', 'KEY', '--client-secret', 's3cr3t', 'stray'],
      expected: ['-i', 'KEY', '--client-secret', SECRET_PLACEHOLDER, 'stray'],
      values: ['s3cr3t'],
    },
    {
      title: '--client-secret=S, with "=" inside the secret',
      argv: ['--client-secret=a=b', '-r', 'https://acme.my.salesforce.com'],
      expected: [`--client-secret=${SECRET_PLACEHOLDER}`, '-r', 'https://acme.my.salesforce.com'],
      values: ['a=b'],
    },
    {
      title: 'both spellings, twice',
      argv: ['--client-secret', 'one', '--client-secret=two'],
      expected: ['--client-secret', SECRET_PLACEHOLDER, `--client-secret=${SECRET_PLACEHOLDER}`],
      values: ['one', 'two'],
    },
    {
      title: 'a secret that looks like a flag',
      argv: ['--client-secret', '--json'],
      expected: ['--client-secret', SECRET_PLACEHOLDER],
      values: ['--json'],
    },
    {
      title: 'after "--" too (oclif would name the value in "Unexpected arguments")',
      argv: ['-i', 'KEY', '--', '--client-secret', 's3cr3t-after', '--client-secret=other-one'],
      expected: ['-i', 'KEY', '--', '--client-secret', SECRET_PLACEHOLDER, `--client-secret=${SECRET_PLACEHOLDER}`],
      values: ['s3cr3t-after', 'other-one'],
    },
    {
      title: 'a trailing --client-secret without a value (oclif reports it)',
      argv: ['-i', 'KEY', '--client-secret'],
      expected: ['-i', 'KEY', '--client-secret'],
      values: [],
    },
    { title: 'no --client-secret at all', argv: ['-i', 'KEY', '--client-secrets', 'x'], expected: ['-i', 'KEY', '--client-secrets', 'x'], values: [] },
  ];
  for (const { title, argv, expected, values } of cases) {
    it(title, () => {
      const before = [...argv];
      const result = withdrawSecretFlag(argv);
      expect(result.argv).to.deep.equal(expected);
      expect(result.values).to.deep.equal(values);
      expect(argv, 'the argv given is not changed').to.deep.equal(before);
      for (const value of values) expect(result.argv.join(' ')).to.not.include(value);
    });
  }
});
