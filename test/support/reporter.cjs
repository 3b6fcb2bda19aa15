// Mocha's spec reporter, plus the run's counts and each file's run time appended to
// $MOCHA_STATS_FILE, so that the test command can print one closing "N passed, N failed,
// N skipped" line for all its mocha runs, the slowest files, and split the NUTs by measured time.
const { appendFileSync } = require('node:fs');
const { relative } = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SpecWithStats extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    /** Milliseconds spent in each file's top-level suites, hooks included. */
    const fileMs = {};
    const started = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent?.root) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const start = started.get(suite);
      if (start === undefined) return;
      const file = relative(process.cwd(), suite.file);
      fileMs[file] = (fileMs[file] ?? 0) + (Date.now() - start);
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.MOCHA_STATS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats ?? {};
      appendFileSync(file, `${JSON.stringify({ passes, failures, pending, fileMs })}\n`);
    });
  }
}

module.exports = SpecWithStats;
