// Bayeux clients through a load balancer in front of three rtnotify-server nodes joined by Redis.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster_lb.mjs URL SUBSCRIBERS MESSAGES [KILL_COMMAND]
//
// SUBSCRIBERS Faye clients (long-polling, which carries the BAYEUX_BROWSER
// cookie the balancer sticks on) subscribe to /lb through URL, and one more
// publishes MESSAGES numbered messages: every subscriber must receive each
// exactly once, in order, whichever node the balancer gave it. With
// KILL_COMMAND, that command then kills a node; a new publisher sends
// probes until every subscriber hears one (the clients of the dead node
// handshake again through the balancer and subscribe again), then MESSAGES
// numbered messages more, which every subscriber must receive exactly once,
// in order. Prints one "ok" line and exits 0, or names the failed step and
// exits 1.
import { execSync } from "node:child_process";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const faye = require("faye");
const [url, subscribersArg, messagesArg, killCommand] = process.argv.slice(2);
const subscribers = Number(subscribersArg), messages = Number(messagesArg);
if (!url || !(subscribers > 0) || !(messages > 0)) {
  console.error("usage: node cluster_lb.mjs URL SUBSCRIBERS MESSAGES [KILL_COMMAND]");
  process.exit(2);
}
const { fail, guard } = steps("cluster-lb");

const client = () => {
  const c = new faye.Client(url, { timeout: 10, retry: 1 });
  c.disable("websocket");
  return c;
};
const got = Array.from({ length: subscribers }, () => []);
const probed = Array.from({ length: subscribers }, () => false);
const clients = [];
for (let i = 0; i < subscribers; ++i) {
  const c = client();
  await guard(`subscribe ${i}`, c.subscribe("/lb", (m) => (m.probe ? (probed[i] = true) : got[i].push(m.n))));
  clients.push(c);
}

// Publishes MESSAGES numbered messages through `publisher`; every subscriber must get each once, in order.
async function round(name, publisher) {
  for (let n = 1; n <= messages; ++n) await guard(`${name}: publish ${n}`, publisher.publish("/lb", { n }));
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && got.some((g) => g.length < messages)) await sleep(20);
  await sleep(300); // anything extra would arrive now
  const want = JSON.stringify(Array.from({ length: messages }, (_, i) => i + 1));
  got.forEach((g, i) => {
    if (JSON.stringify(g) !== want)
      fail(`${name}: subscriber ${i}`, `received ${g.length} (${g.slice(0, 5).join(", ")}...), expected ${messages} in order`);
    g.length = 0;
  });
}

const publisher = client();
await round("before", publisher);
const publishers = [publisher];
let recovered = "";
if (killCommand) {
  execSync(killCommand, { stdio: "inherit" });
  const started = Date.now();
  const after = client(); // the first publisher may have been on the dead node
  publishers.push(after);
  for (let k = 1; probed.some((p) => !p); ++k) {
    if (Date.now() - started > 40000)
      fail("after the kill", `subscribers ${probed.flatMap((p, i) => (p ? [] : [i])).join(", ")} heard no probe within 40 s`);
    after.publish("/lb", { probe: k }); // not awaited: the balancer may still send it to the dead node
    await sleep(250);
  }
  recovered = `; a node killed, every subscriber back within ${((Date.now() - started) / 1000).toFixed(1)} s`;
  got.forEach((g) => (g.length = 0)); // nothing numbered was published meanwhile
  await round("after", after);
}
for (const c of [...clients, ...publishers]) c.disconnect();
await sleep(200);
console.log(`ok ${subscribers} subscribers through the balancer, ${messages} messages each, once, in order${recovered}`);
process.exit(0);
