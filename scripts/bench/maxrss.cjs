// Preloaded into a benchmarked sf process: writes its peak resident set size (KiB) on exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.SF_BENCH_MAXRSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
