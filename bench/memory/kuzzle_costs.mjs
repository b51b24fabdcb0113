// What rtnotify-server keeps per counted byte of Kuzzle rooms and documents and of SmartREST templates (docs/server.md's memory budget).
// Usage: node bench/memory/kuzzle_costs.mjs RTNOTIFY_SERVER   (needs `ws`: bash scripts/test.sh installs it in tests/peers)
// SPDX-License-Identifier: BSL-1.0
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../tests/peers/', import.meta.url)));
const WebSocket = require('ws');

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node kuzzle_costs.mjs RTNOTIFY_SERVER');
  process.exit(2);
}
const srv = spawn(binary, ['--listen', '127.0.0.1:0', '--quiet', '--threads', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((ok) => srv.stdout.once('data', (d) => ok(+String(d).trim().split(':').pop())));
const rss = () => +readFileSync(`/proc/${srv.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1] * 1024;
await new Promise((ok) => setTimeout(ok, 200));

const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
await new Promise((ok) => ws.on('open', ok));
const pending = new Map();
let next = 0;
ws.on('message', (m) => {
  const reply = JSON.parse(m);
  pending.get(reply.requestId)?.(reply);
  pending.delete(reply.requestId);
});
const call = (request) => new Promise((ok) => {
  request.requestId = `r${++next}`;
  pending.set(request.requestId, ok);
  ws.send(JSON.stringify(request));
});

// rooms: 900 filters of about 4 KB (the index, the collection and the filter text are what is counted, with 256 per room)
let before = rss();
let counted = 0;
for (let i = 0; i < 900; i++) {
  const body = { and: [{ equals: { [`f${i}`]: 'x'.repeat(4000) } }, { range: { [`g${i}`]: { gt: i } } },
    { in: { [`h${i}`]: [`a${i}`, `b${i}`, `c${i}`, `d${i}`] } }] };
  const r = await call({ controller: 'realtime', action: 'subscribe', index: 'i', collection: 'c', body });
  if (r.status !== 200) throw new Error(JSON.stringify(r.error));
  counted += 2 + JSON.stringify(body).length + 256;
}
console.log(`Kuzzle rooms: ${((rss() - before) / counted).toFixed(2)} bytes per counted byte`);

// documents of 30 KB
before = rss();
counted = 0;
for (let i = 0; i < 900; i++) {
  const body = { text: 'y'.repeat(30000), n: i, tags: ['a', 'b', 'c'], nested: { a: 1, b: [1, 2, 3] } };
  const r = await call({ controller: 'document', action: 'create', index: 'i', collection: 'c', _id: `d${i}`, body });
  if (r.status !== 200) throw new Error(JSON.stringify(r.error));
  counted += JSON.stringify(body).length + 100;
}
console.log(`Kuzzle documents: ${((rss() - before) / counted).toFixed(2)} bytes per counted byte`);
ws.close();

// SmartREST template collections of 300 response templates (about 50 KB each)
before = rss();
counted = 0;
for (let i = 0; i < 900; i++) {
  const lines = [];
  for (let k = 0; k < 300; k++) lines.push(`11,${500 + k},,$.c8y_x${k},$.${'z'.repeat(150)}`);
  const body = lines.join('\n');
  const text = await (await fetch(`http://127.0.0.1:${port}/s`, { method: 'POST', headers: { 'X-Id': `x${i}` }, body })).text();
  if (!text.startsWith('20,')) throw new Error(text.slice(0, 200));
  counted += body.length;
}
console.log(`SmartREST templates: ${((rss() - before) / counted).toFixed(2)} bytes per byte of registration body`);
srv.kill('SIGTERM');
