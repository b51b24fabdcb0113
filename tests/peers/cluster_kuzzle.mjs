// Kuzzle's real-time notifications across two rtnotify-server nodes joined by Redis, with the official SDK.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster_kuzzle.mjs HOST PORT_A PORT_C
//
// A subscriber on node A (a filter on shop/items, users "all"); a client of
// node C subscribes to the same filter: A hears it enter with the count of
// both nodes, and `realtime:count` on either node says 2. C's writer then
// creates, updates and deletes documents there, and publishes. A must hear
// exactly what enters, stays in and leaves its filter, in order, each once;
// nothing of what never matched; A's store has C's documents as C left
// them. C's subscriber leaves: A hears it, count 1.
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
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
const users = []; // user notifications of C's clients (the SDK may or may not pass on A's own entry)
const line = (n) => [n.action, n.scope, n.result._id, n.result._source?.price].filter((x) => x !== undefined && x !== null).join(" ");
const cheap = { range: { price: { lt: 10 } } };
const room = await guard(
  "subscribe on A",
  a.realtime.subscribe("shop", "items", cheap, (n) => (n.type !== "user" ? got.push(line(n)) : n.node === "C" ? users.push(`${n.user} ${n.result.count} ${n.node}`) : 0), {
    users: "all",
  }),
);
await sleep(200);
const waitFor = async (what, list, n) => {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && list.length < n) await sleep(20);
  if (list.length !== n) fail(what, `received ${JSON.stringify(list)}`);
};

// a subscriber of node C enters A's room: A hears it, and both nodes count it
const c2 = await connect("C's second client", portC);
const room2 = await guard("subscribe on C", c2.realtime.subscribe("shop", "items", cheap, () => {}));
if (room2 !== room) fail("subscribe on C", `room ${room2} on C, ${room} on A: the same filter must name the same room`);
await waitFor("user in on A", users, 1);
if (users[0] !== "in 2 C") fail("user in on A", `received "${users[0]}", expected "in 2 C" (count of both nodes, node C)`);
for (const [name, k] of [["A", a], ["C", c]]) {
  const n = await guard(`count on ${name}`, k.realtime.count(room));
  if (n !== 2) fail(`count on ${name}`, `${n} subscribers, expected 2 (one per node)`);
}

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

// the documents C wrote are in A's store: the pen at its last price and version, the car gone
const pen = await guard("get pen on A", a.document.get("shop", "items", "pen"));
if (pen._source.price !== 20 || pen._version !== 3) fail("get pen on A", `price ${pen._source.price}, version ${pen._version}; expected 20, 3`);
if (await guard("car on A", a.document.exists("shop", "items", "car"))) fail("car on A", "deleted on C, still on A");

// C's subscriber leaves: A hears it go, and counts 1
c2.disconnect();
await waitFor("user out on A", users, 2);
if (users[1] !== "out 1 C") fail("user out on A", `received "${users[1]}", expected "out 1 C"`);
const left = await guard("count on A after", a.realtime.count(room));
if (left !== 1) fail("count on A after", `${left} subscribers, expected 1`);
a.disconnect();
c.disconnect();
console.log(`ok Kuzzle notifications across nodes: ${got.length} on A of changes made on C; users in and out of C's, counted on both nodes`);
process.exit(0);
