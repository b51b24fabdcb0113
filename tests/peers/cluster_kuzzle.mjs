// Kuzzle's real-time notifications across two rtnotify-server nodes joined by Redis, with the official SDK.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster_kuzzle.mjs HOST PORT_A PORT_C
//
// A subscriber on node A (a filter on shop/items); a writer on node C
// creates, updates and deletes documents there, and publishes. A must hear
// exactly what enters, stays in and leaves its filter, in order, each once;
// nothing of what never matched. Prints one "ok" line and exits 0, or names
// the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const { Kuzzle, WebSocket } = require("kuzzle-sdk");
const [host, portA, portC] = process.argv.slice(2);
if (!portC) {
  console.error("usage: node cluster_kuzzle.mjs HOST PORT_A PORT_C");
  process.exit(2);
}
const { fail, guard } = steps("cluster-kuzzle");

const connect = async (name, port) => {
  const k = new Kuzzle(new WebSocket(host, { port: Number(port) }));
  await guard(`connect ${name}`, k.connect());
  return k;
};
const a = await connect("A", portA);
const c = await connect("C", portC);

const got = [];
const line = (n) => [n.action, n.scope, n.result._id, n.result._source?.price].filter((x) => x !== undefined && x !== null).join(" ");
await guard("subscribe on A", a.realtime.subscribe("shop", "items", { range: { price: { lt: 10 } } }, (n) => got.push(line(n))));
await sleep(200);

await guard("create pen on C", c.document.create("shop", "items", { name: "pen", price: 2 }, "pen"));
await guard("create car on C", c.document.create("shop", "items", { name: "car", price: 9000 }, "car"));
await guard("update pen on C", c.document.update("shop", "items", "pen", { price: 3 }));
await guard("update pen out on C", c.document.update("shop", "items", "pen", { price: 20 }));
await guard("update car in on C", c.document.update("shop", "items", "car", { price: 5 }));
await guard("delete car on C", c.document.delete("shop", "items", "car"));
await guard("publish on C", c.realtime.publish("shop", "items", { price: 1 }));
await guard("publish too dear on C", c.realtime.publish("shop", "items", { price: 100 }));

const expected = ["create in pen 2", "update in pen 3", "update out pen 20", "update in car 5", "delete out car 5", "publish in 1"];
const deadline = Date.now() + 5000;
while (Date.now() < deadline && got.length < expected.length) await sleep(20);
await sleep(300); // anything extra would arrive now
if (JSON.stringify(got) !== JSON.stringify(expected)) fail("notifications on A", `received ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
a.disconnect();
c.disconnect();
console.log(`ok Kuzzle notifications across nodes: ${got.length} on A of changes made on C`);
process.exit(0);
