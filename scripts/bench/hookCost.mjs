// Run by the benchmark in a fresh Node process, with HOME set to a benchmark home:
//   node hookCost.mjs <installed plugin's lib/hooks/prerun.js> <with-target-flag|without-target-flag> [argv...]
// Prints JSON: the time to import the hook and to run it once, what one sf command pays, for a
// command with or without a --target-org flag. Timing the hook in its process shows a cost far
// below the noise of whole sf runs.
import { pathToFileURL } from 'node:url';

const [hookPath, kind, ...argv] = process.argv.slice(2);
const started = performance.now();
const hook = (await import(pathToFileURL(hookPath).href)).default;
const imported = performance.now();

const flags = kind === 'with-target-flag' ? { 'target-org': {}, 'api-version': {} } : { 'api-version': {} };
const options = { Command: { flags }, argv, config: { root: process.cwd() }, context: {} };
await hook.call({ warn: (message) => process.stderr.write(`${message}\n`), debug: () => {} }, options);
process.stdout.write(JSON.stringify({ importMs: imported - started, callMs: performance.now() - imported }));
