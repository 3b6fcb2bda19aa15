// Mocha's spec reporter, plus the run's counts appended to $MOCHA_STATS_FILE so that the test
// command can print one closing "N passed, N failed, N skipped" line for all its mocha runs.
const { appendFileSync } = require('node:fs');
const Mocha = require('mocha');

class SpecWithStats extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_STATS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats ?? {};
      appendFileSync(file, `${JSON.stringify({ passes, failures, pending })}\n`);
    });
  }
}

module.exports = SpecWithStats;
