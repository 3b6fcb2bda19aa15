// Preloaded into every benchmarked sf process. At the 'exit' event, the moment the command's work
// is over and before sf's log writer delays the exit, it writes the wall-clock time (ms since the
// epoch) and the peak resident set size (KiB) to SF_BENCH_PROBE_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.SF_BENCH_PROBE_FILE;
  if (!file) return;
  const exitAt = performance.timeOrigin + performance.now();
  writeFileSync(file, JSON.stringify({ exitAt, maxRssKb: process.resourceUsage().maxRSS }));
});
