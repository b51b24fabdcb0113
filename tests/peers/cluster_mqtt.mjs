// MQTT pub/sub across two cluster nodes with MQTT.js (npm mqtt, unmodified): publishes, a retained message and a will.
// SPDX-License-Identifier: BSL-1.0
//
//   node cluster_mqtt.mjs HOST MQTT_PORT_A MQTT_PORT_C
//
// S, connected to node A, subscribes to four cluster/ topics at QoS 1 (no
// wildcards: Kuzzle's MQTT protocol refuses them); P, connected to
// node C, publishes 100 QoS 1 messages and a QoS 0 one there: S gets each
// once, in order. P's retained message reaches S, and R, subscribing on A
// afterwards, gets it with RETAIN set. W connects to C with a will and its
// connection is cut: S gets the will. Q, subscribed on C, gets what S
// publishes on A. Prints one "ok" line and exits 0, or names the failed step
// and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const mqtt = require("mqtt");
const { fail, guard } = steps("cluster-mqtt");
const [host, portA, portC] = process.argv.slice(2);
if (!host || !portA || !portC) {
  console.error("usage: node cluster_mqtt.mjs HOST MQTT_PORT_A MQTT_PORT_C");
  process.exit(2);
}

// An MQTT.js client of the node on `port`, with every message it gets.
async function client(id, port, options = {}) {
  const c = mqtt.connect(`mqtt://${host}:${port}`, { clientId: id, reconnectPeriod: 0, ...options });
  c.got = [];
  c.on("message", (topic, payload, packet) => c.got.push({ topic, text: payload.toString(), retain: packet.retain }));
  await guard(`connect ${id}`, new Promise((ok, ko) => (c.once("connect", ok), c.once("error", ko))));
  return c;
}
// Subscribes `c` to `topics` at QoS 1; every one must be granted.
async function subscribe(step, c, topics) {
  const granted = await guard(step, c.subscribeAsync(topics, { qos: 1 }));
  if (granted.some((g) => g.qos !== 1)) fail(step, `granted ${JSON.stringify(granted)}`);
}
// Waits until `c` got `n` messages (5 s at most), then 300 ms more for any it should not get.
async function receive(step, c, n) {
  const deadline = Date.now() + 5000;
  while (c.got.length < n && Date.now() < deadline) await sleep(20);
  await sleep(300);
  if (c.got.length !== n) fail(step, `${c.got.length} messages instead of ${n}: ${JSON.stringify(c.got.slice(0, 5))}`);
  return c.got.splice(0);
}

const s = await client("s-on-a", portA);
const topics = ["cluster/numbers", "cluster/plain", "cluster/state", "cluster/will"];
await subscribe("subscribe S on A", s, topics);
const p = await client("p-on-c", portC);
for (let i = 1; i <= 100; ++i) await guard(`publish ${i} on C`, p.publishAsync("cluster/numbers", String(i), { qos: 1 }));
await guard("publish at QoS 0 on C", p.publishAsync("cluster/plain", "qos0", { qos: 0 }));
const numbers = await receive("S on A gets C's 101 publishes", s, 101);
const want = [...Array(100).keys()].map((i) => String(i + 1)).concat(["qos0"]);
if (numbers.map((m) => m.text).join() !== want.join())
  fail("C's publishes reach A once each, in order", numbers.map((m) => m.text).join());

await guard("retained publish on C", p.publishAsync("cluster/state", "on", { qos: 1, retain: true }));
const [live] = await receive("S on A gets the retained publish", s, 1);
if (live.topic !== "cluster/state" || live.text !== "on" || live.retain)
  fail("a retained publish reaches a live subscriber without RETAIN", JSON.stringify(live));
const r = await client("r-on-a", portA);
await subscribe("subscribe R on A", r, ["cluster/state"]);
const [kept] = await receive("R on A gets the message C retained", r, 1);
if (kept.text !== "on" || !kept.retain) fail("A keeps C's retained message", JSON.stringify(kept));

const w = await client("w-on-c", portC, { will: { topic: "cluster/will", payload: "w is gone", qos: 1, retain: false } });
w.stream.destroy(); // no DISCONNECT: C publishes the will
const [will] = await receive("S on A gets the will of a client of C", s, 1);
if (will.topic !== "cluster/will" || will.text !== "w is gone") fail("the will crosses", JSON.stringify(will));

const q = await client("q-on-c", portC);
await subscribe("subscribe Q on C", q, ["back/a"]);
for (let i = 1; i <= 10; ++i) await guard(`publish ${i} on A`, s.publishAsync("back/a", `a${i}`, { qos: 1 }));
const back = await receive("Q on C gets A's 10 publishes", q, 10);
if (back.map((m) => m.text).join() !== [...Array(10).keys()].map((i) => `a${i + 1}`).join())
  fail("A's publishes reach C in order", back.map((m) => m.text).join());

for (const c of [s, p, r, q]) await c.endAsync();
console.log("ok mqtt across nodes: 101 publishes C to A once each in order, a retained message, a will, 10 publishes A to C");
process.exit(0);
