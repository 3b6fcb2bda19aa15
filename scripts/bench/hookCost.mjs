// Run by the benchmark in a fresh Node process, with HOME set to a benchmark home:
//   node hookCost.mjs <installed plugin's lib/hooks/prerun.js> <calls> <with-target-flag|without-target-flag> [argv...]
// Prints JSON: the time to import the hook, its first call (what one sf command pays, with the
// import) and the median of the later calls, for a command with or without a --target-org flag.
// Timing the hook in its process shows a cost far below the noise of whole sf runs.
import { pathToFileURL } from 'node:url';

const [hookPath, calls, kind, ...argv] = process.argv.slice(2);
const started = performance.now();
const hook = (await import(pathToFileURL(hookPath).href)).default;
const importMs = performance.now() - started;

const flags = kind === 'with-target-flag' ? { 'target-org': {}, 'api-version': {} } : { 'api-version': {} };
const options = { Command: { flags }, argv, config: { root: process.cwd() }, context: {} };
const context = { warn: (message) => process.stderr.write(`${message}\n`) };
const times = [];
for (let i = 0; i < Number(calls); i++) {
  const t = performance.now();
  // eslint-disable-next-line no-await-in-loop
  await hook.call(context, options);
  times.push(performance.now() - t);
}
const firstCallMs = times[0];
const later = times.slice(1).sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ importMs, firstCallMs, medianCallMs: later[Math.floor(later.length / 2)] ?? firstCallMs }));
