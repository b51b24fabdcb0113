// Kuzzle over MQTT with MQTT.js (npm mqtt, unmodified), next to the Kuzzle SDK on the WebSocket.
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle_mqtt.mjs HOST WS_PORT MQTT_PORT
//
// M subscribes to a filter through Kuzzle/request and listens on the
// channel's topic; N (MQTT) and W (the SDK over WebSocket) create documents;
// M hears both, with the protocol of each request. W subscribes too and hears
// a publish M makes without requestId (a UUID is generated, the same in the
// response and the notification). N's QoS 1 request is acknowledged, and N's
// responses reach N alone. Prints one "ok" line and exits 0, or names the
// failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const mqtt = require("mqtt");
const { Kuzzle, WebSocket } = require("kuzzle-sdk");
const { fail, guard } = steps("mqtt.js");
const [host, wsPort, mqttPort] = process.argv.slice(2);
if (!host || !wsPort || !mqttPort) {
  console.error("usage: node kuzzle_mqtt.mjs HOST WS_PORT MQTT_PORT");
  process.exit(2);
}

const expect = (step, ok, value) => ok || fail(step, JSON.stringify(value));

// An MQTT.js client with every message it gets, by topic.
async function client(id) {
  const c = mqtt.connect(`mqtt://${host}:${mqttPort}`, { clientId: id, reconnectPeriod: 0 });
  c.got = [];
  c.on("message", (topic, payload) => c.got.push({ topic, json: JSON.parse(payload.toString()) }));
  await guard(`connect ${id}`, new Promise((ok, ko) => (c.once("connect", ok), c.once("error", ko))));
  await guard(`subscribe ${id} to Kuzzle/response`, c.subscribeAsync("Kuzzle/response"));
  return c;
}
// The next message `c` gets on `topic` that `match` accepts.
async function next(step, c, topic, match = () => true) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const i = c.got.findIndex((m) => m.topic === topic && match(m.json));
    if (i >= 0) return c.got.splice(i, 1)[0].json;
    if (Date.now() > deadline) fail(step, `nothing on ${topic}; got ${JSON.stringify(c.got)}`);
    await sleep(20);
  }
}
const request = (c, body, qos = 0) => c.publishAsync("Kuzzle/request", JSON.stringify(body), { qos });
const items = { index: "shop", collection: "items" };

const m = await client("m");
const n = await client("n");
await request(m, { controller: "realtime", action: "subscribe", ...items, body: { range: { price: { lt: 10 } } }, requestId: "m-sub" });
const sub = await next("subscribe response", m, "Kuzzle/response", (r) => r.requestId === "m-sub");
expect("subscribe response", sub.status === 200 && sub.error === null && typeof sub.result.channel === "string", sub);
const channel = sub.result.channel;
const granted = await guard("subscribe to the channel", m.subscribeAsync(channel));
expect("channel granted", granted[0].qos === 0, granted);

// N creates over MQTT, at QoS 1
await guard("QoS 1 request acknowledged", request(n, { controller: "document", action: "create", ...items, _id: "a", body: { price: 3 }, requestId: "n-create" }, 1));
const created = await next("N's create response", n, "Kuzzle/response", (r) => r.requestId === "n-create");
expect("N's create response", created.status === 200 && created.result._id === "a", created);
const fromMqtt = await next("notification of N's create", m, channel);
for (const [key, value] of Object.entries({ type: "document", action: "create", scope: "in", protocol: "mqtt", requestId: "n-create", room: channel, index: "shop", collection: "items", controller: "document", status: 200 }))
  expect(`notification field ${key}`, fromMqtt[key] === value, fromMqtt);
expect("notification document", fromMqtt.result._id === "a" && fromMqtt.result._source.price === 3, fromMqtt);

// W creates over the WebSocket
const w = new Kuzzle(new WebSocket(host, { port: Number(wsPort) }));
await guard("connect W", w.connect());
await guard("W creates", w.document.create("shop", "items", { price: 4 }, "b"));
const fromWs = await next("notification of W's create", m, channel);
expect("W's notification", fromWs.protocol === "websocket" && fromWs.result._id === "b", fromWs);

// W subscribes; M publishes without requestId
const heard = [];
await guard("W subscribes", w.realtime.subscribe("shop", "items", { range: { price: { lt: 10 } } }, (x) => heard.push(x)));
await request(m, { controller: "realtime", action: "publish", ...items, body: { price: 1 } });
const published = await next("publish response", m, "Kuzzle/response", (r) => r.action === "publish");
expect("a generated requestId", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(published.requestId), published);
const deadline = Date.now() + 5000;
while (heard.length === 0 && Date.now() < deadline) await sleep(20);
expect("W hears M's publish", heard.length === 1 && heard[0].protocol === "mqtt" && heard[0].requestId === published.requestId, heard);

// responses went to their requester alone
await sleep(200);
expect("M got no response of N's", !m.got.some((x) => x.topic === "Kuzzle/response"), m.got);
expect("N got nothing else", n.got.length === 0, n.got);

m.end();
n.end();
w.disconnect();
console.log("ok mqtt.js: subscribe over MQTT; notifications from MQTT and WebSocket; a WebSocket subscriber hears MQTT; responses to the requester alone");
process.exit(0);
