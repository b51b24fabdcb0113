// Three rtnotify-server nodes joined by Redis, driven by unmodified third-party clients.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster.mjs URL_A URL_B URL_C CONTROL [TAG]
//
// With TAG, A's subscriber and B's publisher each handshake again (a new
// connection each time) until their client id starts with TAG: with nodes on
// two threads (--threads 2), TAG 1 puts both sessions on the second thread,
// whose publishes reach Redis through the first and to which the first
// hands what comes off Redis.
//
// The CometD client (WebSocket) subscribes to /cluster/** on node A; with
// TAG, a Faye client (long-polling) does, since a WebSocket without a
// BAYEUX_BROWSER cookie (the CometD client's) lives on the first thread. A
// Faye client publishes on node B and a CometD client (WebSocket) on node C.
// 1. While Redis is up: A receives every publish of both exactly once, each
//    publisher's in its order.
// 2. `CONTROL stop` stops Redis: B's publishes are accepted by B and do not
//    reach A (nothing arrives late or twice later either).
// 3. `CONTROL start`, `CONTROL up` (every node connected again): A receives
//    the publishes made after, exactly once, in order.
// Prints the counts as one JSON line ("figures ...") and "ok", or names the
// failed step and exits 1.
import http from "node:http";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const [urlA, urlB, urlC, control, tag = ""] = process.argv.slice(2);
if (!control) {
  console.error("usage: node cluster.mjs URL_A URL_B URL_C CONTROL [TAG]");
  process.exit(2);
}
const require = createRequire(import.meta.url);

const { fail, guard } = steps("cluster");

const { adapt } = await import("cometd-nodejs-client");
const { CometD } = await import("cometd");
adapt(); // once: it installs the XMLHttpRequest and WebSocket every CometD instance uses

async function cometd(url, transport) {
  const c = new CometD();
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url, logLevel: "warn" });
  const ok = (step, resolve) => (r) => (r.successful ? resolve(r) : fail(step, JSON.stringify(r)));
  await guard(`handshake ${url}`, new Promise((resolve) => c.handshake(ok(`handshake ${url}`, resolve))));
  return c;
}

// A client of `make()` whose id (`idOf`) starts with `tag`: up to 30 handshakes, each on a new
// connection (the kernel picks the thread of each): a WebSocket each, or Faye's pooled
// connections closed in between (the CometD client's pool cannot be reached).
// `make` resolves to [client] (a Faye client is a thenable, which `await` would unwrap).
async function tagged(what, make, idOf, drop) {
  for (let i = 0; i < 30; ++i) {
    const [client] = await make();
    if (idOf(client).startsWith(tag)) return [client];
    drop(client);
    await sleep(50);
    http.globalAgent.destroy();
  }
  fail(what, `no client id starting with "${tag}" in 30 handshakes`);
}

const faye = require("faye");
// A Faye client of `url` on long-polling, connected.
async function fayeClient(url, step) {
  const client = new faye.Client(url, { timeout: 10, retry: 1 });
  client.disable("websocket");
  await guard(step, new Promise((resolve) => client.connect(resolve)));
  return [client];
}
const fayeId = (client) => client._dispatcher.clientId; // Faye has no public getter for its id

// Node A's subscriber: every delivery as "channel n".
const received = [];
const onA = (channel, data) => received.push(`${channel} ${data.n}`);
let a;
if (tag) {
  [a] = await tagged("subscriber on A", () => fayeClient(urlA, "connect on A"), fayeId, (client) => client.disconnect());
  await guard("subscribe on A", a.subscribe("/cluster/**").withChannel(onA));
} else {
  a = await cometd(urlA, "websocket");
  await guard("subscribe on A", new Promise((resolve) =>
    a.subscribe("/cluster/**", (m) => onA(m.channel, m.data), (r) => (r.successful ? resolve() : fail("subscribe on A", JSON.stringify(r))))));
}

const [b] = await tagged("publisher on B", () => fayeClient(urlB, "connect on B"), fayeId, (client) => client.disconnect());
const c = await cometd(urlC, "websocket");

const publishB = (n) => guard(`Faye publish ${n} on B`, b.publish("/cluster/faye", { n }));
const publishC = (n) => guard(`CometD publish ${n} on C`, new Promise((resolve) =>
  c.publish("/cluster/cometd", { n }, (r) => (r.successful ? resolve() : fail(`CometD publish ${n} on C`, JSON.stringify(r))))));

// Waits until A has `count` deliveries (or 10 s), then a little longer for any extra, and takes them.
async function take(count) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && received.length < count) await sleep(20);
  await sleep(500);
  return received.splice(0);
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
function expectInOrder(step, got, channel, numbers) {
  const mine = got.filter((line) => line.startsWith(channel + " "));
  const want = numbers.map((n) => `${channel} ${n}`);
  if (JSON.stringify(mine) !== JSON.stringify(want))
    fail(step, `${channel}: received ${mine.length} (${mine.slice(0, 5).join(", ")}...), expected ${want.length} in order`);
}

const figures = {};
// 1. Redis up: 200 from B (Faye), 100 from C (CometD), interleaved.
await sleep(300); // the nodes' own subscriptions to the bus are made at start; this lets A's connect settle
await Promise.all([(async () => { for (const n of range(1, 200)) await publishB(n); })(),
                   (async () => { for (const n of range(1, 100)) await publishC(n); })()]);
let got = await take(300);
expectInOrder("Redis up", got, "/cluster/faye", range(1, 200));
expectInOrder("Redis up", got, "/cluster/cometd", range(1, 100));
if (got.length !== 300) fail("Redis up", `${got.length} deliveries, expected 300`);
figures.up = { published: 300, delivered_on_A: got.length };

// 2. Redis stopped: B still accepts publishes; they cannot cross.
execFileSync(control, ["stop"], { stdio: "inherit" });
for (const n of range(201, 220)) await publishB(n);
got = await take(0);
if (got.length) fail("Redis down", `A received ${got.join(", ")}`);
figures.down = { published: 20, delivered_on_A: got.length };

// 3. Redis back: every node reconnects by itself; what is published after arrives.
execFileSync(control, ["start"], { stdio: "inherit" });
execFileSync(control, ["up"], { stdio: "inherit" });
for (const n of range(221, 250)) await publishB(n);
got = await take(30);
expectInOrder("Redis back", got, "/cluster/faye", range(221, 250));
if (got.length !== 30) fail("Redis back", `${got.length} deliveries, expected 30`);
figures.back = { published: 30, delivered_on_A: got.length };

console.log("figures " + JSON.stringify(figures));
a.disconnect();
c.disconnect();
b.disconnect();
await sleep(200);
console.log("ok cluster");
process.exit(0);
