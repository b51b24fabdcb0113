// Bayeux clients through a load balancer in front of three rtnotify-server nodes joined by Redis.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster_lb.mjs URL SUBSCRIBERS MESSAGES
//
// SUBSCRIBERS Faye clients (long-polling, which carries the BAYEUX_BROWSER
// cookie the balancer sticks on) subscribe to /lb through URL, and one more
// publishes MESSAGES numbered messages: every subscriber must receive each
// exactly once, in order, whichever node the balancer gave it. Prints one
// "ok" line and exits 0, or names the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const faye = require("faye");
const [url, subscribersArg, messagesArg] = process.argv.slice(2);
const subscribers = Number(subscribersArg), messages = Number(messagesArg);
if (!url || !(subscribers > 0) || !(messages > 0)) {
  console.error("usage: node cluster_lb.mjs URL SUBSCRIBERS MESSAGES");
  process.exit(2);
}
const { fail, guard } = steps("cluster-lb");

const client = () => {
  const c = new faye.Client(url, { timeout: 10, retry: 1 });
  c.disable("websocket");
  return c;
};
const got = Array.from({ length: subscribers }, () => []);
const clients = [];
for (let i = 0; i < subscribers; ++i) {
  const c = client();
  await guard(`subscribe ${i}`, c.subscribe("/lb", (m) => got[i].push(m.n)));
  clients.push(c);
}
const publisher = client();
for (let n = 1; n <= messages; ++n) await guard(`publish ${n}`, publisher.publish("/lb", { n }));

const deadline = Date.now() + 10000;
while (Date.now() < deadline && got.some((g) => g.length < messages)) await sleep(20);
await sleep(300); // anything extra would arrive now
const want = JSON.stringify(Array.from({ length: messages }, (_, i) => i + 1));
got.forEach((g, i) => {
  if (JSON.stringify(g) !== want) fail(`subscriber ${i}`, `received ${g.length} (${g.slice(0, 5).join(", ")}...), expected ${messages} in order`);
});
for (const c of [...clients, publisher]) c.disconnect();
await sleep(200);
console.log(`ok ${subscribers} subscribers through the balancer, ${messages} messages each, once, in order`);
process.exit(0);
