// Kuzzle's transports together: a subscriber on each socket transport hears documents created on each transport (3×4).
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle_transports.mjs HOST PORT MQTT_PORT
//
// W is the Kuzzle SDK on the raw WebSocket, M is MQTT.js on Kuzzle/request,
// S is socket.io-client 4 on /socket.io/, H is the Kuzzle SDK over Http (it
// cannot subscribe). W, M and S subscribe to the same filter, then each of
// the four creates one document. Every subscriber must get the four
// notifications, each with the protocol of the request that caused it.
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);
const mqtt = require("mqtt");
const { io } = require("socket.io-client");
const { Kuzzle, WebSocket, Http } = require("kuzzle-sdk");
const [host, port, mqttPort] = process.argv.slice(2);
if (!host || !port || !mqttPort) {
  console.error("usage: node kuzzle_transports.mjs HOST PORT MQTT_PORT");
  process.exit(2);
}
function fail(step, detail) {
  console.error(`FAIL 3x4: ${step}${detail ? ": " + detail : ""}`);
  process.exit(1);
}
// `promise`, or a failure of `step` after 5 s.
function within(step, promise) {
  let timer;
  const late = new Promise((_, ko) => (timer = setTimeout(() => ko(new Error("no answer within 5000 ms")), 5000)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer)).catch((e) => fail(step, String(e?.message ?? e)));
}
async function until(step, ready) {
  const deadline = Date.now() + 5000;
  while (!ready()) {
    if (Date.now() > deadline) fail(step, "not within 5000 ms");
    await sleep(20);
  }
}
const items = { index: "shop", collection: "items" };
const filter = { range: { price: { lt: 10 } } };
const heard = { websocket: [], mqtt: [], socketio: [] };

// W: the SDK on the WebSocket
const w = new Kuzzle(new WebSocket(host, { port: Number(port) }));
await within("connect W", w.connect());
await within("W subscribes", w.realtime.subscribe("shop", "items", filter, (n) => heard.websocket.push(n)));

// M: MQTT.js
const m = mqtt.connect(`mqtt://${host}:${mqttPort}`, { clientId: "m", reconnectPeriod: 0 });
const responses = [];
let channel = null;
m.on("message", (topic, payload) => {
  const json = JSON.parse(payload.toString());
  if (topic === "Kuzzle/response") responses.push(json);
  else if (topic === channel) heard.mqtt.push(json);
});
await within("connect M", new Promise((ok, ko) => (m.once("connect", ok), m.once("error", ko))));
await within("M subscribes to Kuzzle/response", m.subscribeAsync("Kuzzle/response"));
await m.publishAsync("Kuzzle/request", JSON.stringify({ controller: "realtime", action: "subscribe", ...items, body: filter, requestId: "m-sub" }));
await until("M's subscribe response", () => responses.some((r) => r.requestId === "m-sub"));
channel = responses.find((r) => r.requestId === "m-sub").result.channel;
await within("M subscribes to its channel", m.subscribeAsync(channel));

// S: socket.io-client 4
const s = io(`http://${host}:${port}`, { reconnection: false });
await within("connect S", new Promise((ok, ko) => (s.once("connect", ok), s.once("connect_error", ko))));
s.emit("kuzzle", { controller: "realtime", action: "subscribe", ...items, body: filter, requestId: "s-sub" });
const sChannel = await within("S's subscribe response", new Promise((ok) => s.once("s-sub", (r) => ok(r.result.channel))));
s.on(sChannel, (n) => heard.socketio.push(n));

// H: the SDK over HTTP
const h = new Kuzzle(new Http(host, { port: Number(port) }));
await within("connect H", h.connect());

// each transport creates one document
await within("W creates", w.document.create("shop", "items", { price: 1 }, "by-websocket"));
await m.publishAsync("Kuzzle/request", JSON.stringify({ controller: "document", action: "create", ...items, _id: "by-mqtt", body: { price: 2 }, requestId: "m-create" }));
s.emit("kuzzle", { controller: "document", action: "create", ...items, _id: "by-socketio", body: { price: 3 }, requestId: "s-create" });
await within("H creates", h.document.create("shop", "items", { price: 4 }, "by-http"));

for (const [subscriber, notes] of Object.entries(heard)) {
  await until(`${subscriber} hears 4 notifications`, () => notes.length >= 4);
  for (const protocol of ["websocket", "mqtt", "socketio", "http"]) {
    const n = notes.find((x) => x.result._id === `by-${protocol}`);
    if (!n || n.protocol !== protocol || n.action !== "create" || n.scope !== "in")
      fail(`${subscriber} subscriber, document created over ${protocol}`, JSON.stringify(notes));
  }
}
await sleep(200);
for (const [subscriber, notes] of Object.entries(heard))
  if (notes.length !== 4) fail(`${subscriber} heard exactly 4`, JSON.stringify(notes));
s.close();
m.end();
w.disconnect();
h.disconnect();
console.log("ok 3x4: subscribers on WebSocket, MQTT and Socket.IO each heard the documents created over those and HTTP");
process.exit(0);
