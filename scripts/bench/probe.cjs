// Preloaded (NODE_OPTIONS=--require) into every benchmarked sf process, both sides alike. It records,
// in wall-clock ms since the epoch:
// - each HTTP request to the org: when it went out and when its answer had arrived, from Node's
//   diagnostics channels (node:http for this plugin's client, undici's for jsforce's);
// - the 'exit' event: the command's work is over, sf's log writer may still hold the process;
// and at 'exit' writes them with the peak resident set size (KiB) to SF_BENCH_PROBE_FILE.
const { subscribe } = require('node:diagnostics_channel');
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

// Only sf's own thread: the preload also runs in the log writer's worker thread and in any child
// process sf starts, whose 'exit' would otherwise overwrite the file.
const file = isMainThread ? process.env.SF_BENCH_PROBE_FILE : undefined;
delete process.env.SF_BENCH_PROBE_FILE;
const now = () => performance.timeOrigin + performance.now();
const requests = [];
const track = (path) => {
  const entry = { path, sentAt: now() };
  requests.push(entry);
  return entry;
};

if (file) {
  const byRequest = new WeakMap();
  const sent = ({ request }) => byRequest.set(request, track(request.path));
  const answered = ({ request }) => {
    const entry = byRequest.get(request);
    if (entry) entry.answeredAt = now();
  };
  subscribe('http.client.request.start', sent);
  subscribe('http.client.response.finish', answered);
  subscribe('undici:request:create', sent);
  subscribe('undici:request:trailers', answered);
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ exitAt: now(), maxRssKb: process.resourceUsage().maxRSS, requests }));
  });
}
