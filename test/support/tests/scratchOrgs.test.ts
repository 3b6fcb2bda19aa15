import { expect } from 'chai';
import { orgListRows } from '../scratchOrgs.js';

/**
 * The Dev Hub tests read `sf org list`'s table; sf prints it boxed, or plain when `CI` is set.
 * Both samples are sf 2.150's output, as captured from the Dev Hub tests.
 */
describe('orgListRows', () => {
  const expected = [
    { type: 'DevHub', alias: 'hub', username: 'hub-admin@example.com', orgId: '00DFK00000000012AA', status: 'Connected', expires: '' },
    { type: 'Scratch', alias: 'so', username: 'test-god5j8fu6hsc@example.com', orgId: '00D0000mU1PzN9KEIV', status: 'Active', expires: '2026-12-08' },
  ];

  it('reads the boxed table', () => {
    const stdout = [
      '┌────┬─────────┬───────┬───────────────────────────────┬────────────────────┬───────────┬────────────┐',
      '│    │ Type    │ Alias │ Username                      │ Org Id             │ Status    │ Expires    │',
      '├────┼─────────┼───────┼───────────────────────────────┼────────────────────┼───────────┼────────────┤',
      '│ 🌳 │ DevHub  │ hub   │ hub-admin@example.com         │ 00DFK00000000012AA │ Connected │            │',
      '│    │ Scratch │ so    │ test-god5j8fu6hsc@example.com │ 00D0000mU1PzN9KEIV │ Active    │ 2026-12-08 │',
      '└────┴─────────┴───────┴───────────────────────────────┴────────────────────┴───────────┴────────────┘',
      '',
      'Legend:  🌳=Default DevHub, 🍁=Default Org      Use --all to see expired and deleted scratch orgs',
    ].join('\n');
    expect(orgListRows(stdout)).to.deep.equal(expected);
  });

  it('reads the plain table that sf prints when CI is set, default marker included', () => {
    const stdout = [
      '     Type     Alias  Username                       Org Id              Status     Expires    ',
      '-'.repeat(94),
      ' 🌳  DevHub   hub    hub-admin@example.com          00DFK00000000012AA  Connected             ',
      '     Scratch  so     test-god5j8fu6hsc@example.com  00D0000mU1PzN9KEIV  Active     2026-12-08 ',
      '',
      '',
      'Legend:  🌳=Default DevHub, 🍁=Default Org      Use --all to see expired and deleted scratch orgs',
    ].join('\n');
    expect(orgListRows(stdout)).to.deep.equal(expected);
  });

  it('finds no rows in an output without a table', () => {
    expect(orgListRows('No Orgs found.\n\nLegend:  🌳=Default DevHub')).to.deep.equal([]);
  });
});
