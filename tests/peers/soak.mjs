// Soak test: many long-polling clients (Faye's client) subscribed and
// receiving for a long time; checks that no delivery is lost or repeated.
// SPDX-License-Identifier: BSL-1.0
//
//   node soak.mjs URL CLIENTS MINUTES SERVER_PID [PUBLISH_MS]
//
// Every client subscribes to /soak/all and to /soak/group/<i mod 10>. A
// separate publisher client sends a numbered message to /soak/all every
// PUBLISH_MS (default 250) and one to a group every other tick. At the end
// each client must hold exactly the numbers published on its channels, each
// once. Prints one JSON line per minute (deliveries so far, server RSS) and a
// final JSON summary; exits 1 when anything was lost or repeated.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);
const faye = require("faye");
const [url, clientsArg, minutesArg, pidArg, publishArg] = process.argv.slice(2);
const clients = Number(clientsArg ?? 1000);
const minutes = Number(minutesArg ?? 10);
const pid = Number(pidArg ?? 0);
const publishMs = Number(publishArg ?? 250);

function rssKiB() {
  if (!pid) return null;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : null;
}

const seen = []; // per client: Map channel -> array of numbers
let delivered = 0;
const subscribers = [];
for (let i = 0; i < clients; ++i) {
  const c = new faye.Client(url, { timeout: 30, retry: 1 });
  c.disable("websocket");
  c.disable("eventsource");
  const mine = new Map([["/soak/all", []], [`/soak/group/${i % 10}`, []]]);
  seen.push(mine);
  subscribers.push(c);
}
// subscribe in waves so the handshakes do not all land at once
for (let i = 0; i < clients; i += 50) {
  await Promise.all(
    subscribers.slice(i, i + 50).flatMap((c, k) =>
      [...seen[i + k].keys()].map((ch) =>
        c.subscribe(ch, (m) => {
          seen[i + k].get(m.channel).push(m.n);
          ++delivered;
        })
      )
    )
  );
}

const publisher = new faye.Client(url, { timeout: 30, retry: 1 });
publisher.disable("websocket");
const published = new Map([["/soak/all", 0]]);
for (let g = 0; g < 10; ++g) published.set(`/soak/group/${g}`, 0);

const startRss = rssKiB();
const start = Date.now();
const end = start + minutes * 60_000;
console.log(JSON.stringify({ event: "start", clients, minutes, publishMs, rssKiB: startRss }));
let tick = 0;
let nextReport = start + 60_000;
let publishFailures = 0;
while (Date.now() < end) {
  const channels = ["/soak/all"];
  if (tick % 2 === 0) channels.push(`/soak/group/${(tick / 2) % 10}`);
  for (const ch of channels) {
    const n = published.get(ch) + 1;
    published.set(ch, n);
    await new Promise((resolve) => publisher.publish(ch, { channel: ch, n }).then(resolve, () => (++publishFailures, resolve())));
  }
  ++tick;
  if (Date.now() >= nextReport) {
    console.log(JSON.stringify({ event: "minute", elapsedS: Math.round((Date.now() - start) / 1000), delivered, rssKiB: rssKiB() }));
    nextReport += 60_000;
  }
  await sleep(publishMs);
}

// let the last deliveries arrive
let expected = 0;
for (let i = 0; i < clients; ++i) for (const ch of seen[i].keys()) expected += published.get(ch);
for (let t = 0; t < 200 && delivered < expected; ++t) await sleep(100);
await sleep(1000);

let lost = 0;
let repeated = 0;
let disordered = 0;
for (let i = 0; i < clients; ++i) {
  for (const [ch, got] of seen[i]) {
    const unique = new Set(got);
    repeated += got.length - unique.size;
    lost += published.get(ch) - unique.size;
    for (let k = 1; k < got.length; ++k) if (got[k] <= got[k - 1]) ++disordered;
  }
}
const summary = {
  event: "end",
  clients,
  minutes,
  published: [...published.values()].reduce((a, b) => a + b, 0),
  expected,
  delivered,
  lost,
  repeated,
  disordered,
  publishFailures,
  rssKiBStart: startRss,
  rssKiBEnd: rssKiB(),
};
console.log(JSON.stringify(summary));
await Promise.race([Promise.all(subscribers.map((c) => c.disconnect())), sleep(5000)]);
process.exit(lost || repeated || disordered || publishFailures ? 1 : 0);
