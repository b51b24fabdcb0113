// Kuzzle over Socket.IO with socket.io-client (npm, unmodified; 4.x or 2.x), as Kuzzle's SDKs used it.
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle_socketio.mjs 4|2 HOST PORT
//
// S (default transports: long-polling, then the upgrade to WebSocket)
// subscribes to a filter with a "kuzzle" event and listens to the event
// named by the channel; P (long-polling only) creates a document: P gets
// the response as the event named by its requestId, S the notification with
// every documented field. P publishes without requestId: the response comes
// as an event named by a generated UUID, which the notification S gets
// carries too. W (a WebSocket from the start) does the same request. Prints
// one "ok" line and exits 0, or names the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);
const [version, host, port] = process.argv.slice(2);
if (!["4", "2"].includes(version) || !host || !port) {
  console.error("usage: node kuzzle_socketio.mjs 4|2 HOST PORT");
  process.exit(2);
}
const io = version === "4" ? require("socket.io-client").io : require("socket.io-client-2");
const name = `socket.io-client ${version === "4" ? require("socket.io-client/package.json").version : require("socket.io-client-2/package.json").version}`;

function fail(step, detail) {
  console.error(`FAIL ${name}: ${step}${detail ? ": " + detail : ""}`);
  process.exit(1);
}
const expect = (step, ok, value) => ok || fail(step, JSON.stringify(value));

// A connected client that records every event it gets, whatever its name.
async function client(label, transports) {
  const s = io(`http://${host}:${port}`, { transports, reconnection: false, forceNew: true });
  s.got = [];
  if (s.onAny) s.onAny((event, ...args) => s.got.push({ event, args }));
  else {
    const onevent = s.onevent; // socket.io-client 2.x has no onAny: every event passes here
    s.onevent = function (packet) {
      s.got.push({ event: packet.data[0], args: packet.data.slice(1) });
      return onevent.call(this, packet);
    };
  }
  await new Promise((ok, ko) => {
    const timer = setTimeout(() => ko(new Error("no connection within 5000 ms")), 5000);
    s.once("connect", () => (clearTimeout(timer), ok()));
    for (const e of ["connect_error", "error"]) s.once(e, (x) => (clearTimeout(timer), ko(x)));
  }).catch((e) => fail(`connect ${label}`, String(e?.message ?? e)));
  return s;
}
// The next event of `s` that `match` accepts (name and first argument).
async function next(step, s, match) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const i = s.got.findIndex((e) => match(e.event, e.args[0]));
    if (i >= 0) return s.got.splice(i, 1)[0];
    if (Date.now() > deadline) fail(step, `no such event; got ${JSON.stringify(s.got)}`);
    await sleep(20);
  }
}
const items = { index: "shop", collection: "items" };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const s = await client("S", ["polling", "websocket"]);
const p = await client("P", ["polling"]);
s.emit("kuzzle", { controller: "realtime", action: "subscribe", ...items, body: { range: { price: { lt: 10 } } }, requestId: "s-sub" });
const sub = (await next("subscribe response", s, (e) => e === "s-sub")).args[0];
expect("subscribe response", sub.status === 200 && sub.error === null && sub.requestId === "s-sub" && typeof sub.result.channel === "string", sub);
const channel = sub.result.channel;

p.emit("kuzzle", { controller: "document", action: "create", ...items, _id: "a", body: { price: 3 }, requestId: "p-create" });
const created = (await next("P's create response", p, (e) => e === "p-create")).args[0];
expect("P's create response", created.status === 200 && created.error === null && created.result._id === "a", created);
const note = (await next("notification of P's create", s, (e) => e === channel)).args[0];
const fields = { type: "document", status: 200, action: "create", event: "write", scope: "in", index: "shop", collection: "items",
  controller: "document", protocol: "socketio", requestId: "p-create", room: channel };
for (const [key, value] of Object.entries(fields)) expect(`notification field ${key}`, note[key] === value, note);
expect("notification volatile", JSON.stringify(note.volatile) === "{}", note);
expect("notification timestamp", Number.isInteger(note.timestamp) && note.timestamp > 0, note);
expect("notification document", note.result._id === "a" && note.result._source.price === 3, note);

p.emit("kuzzle", { controller: "realtime", action: "publish", ...items, body: { price: 1 } });
const published = await next("publish response", p, (e, r) => r?.action === "publish");
expect("a generated requestId names the response event", uuid.test(published.event) && published.args[0].requestId === published.event, published);
const heard = (await next("notification of P's publish", s, (e, n) => e === channel && n.action === "publish")).args[0];
expect("the notification carries the generated requestId", heard.requestId === published.event && heard.protocol === "socketio", heard);

const w = await client("W", ["websocket"]);
w.emit("kuzzle", { controller: "document", action: "create", ...items, _id: "b", body: { price: 4 }, requestId: "w-create" });
expect("W's response", (await next("W's create response", w, (e) => e === "w-create")).args[0].status === 200);
expect("W's notification", (await next("notification of W's create", s, (e, n) => e === channel && n.requestId === "w-create")).args[0].result._id === "b");

expect("S upgraded to a WebSocket", s.io.engine.transport.name === "websocket", s.io.engine.transport.name);
expect("P stayed on long-polling", p.io.engine.transport.name === "polling", p.io.engine.transport.name);
await sleep(200);
expect("nothing else for S", s.got.length === 0, s.got);
expect("nothing else for P", p.got.length === 0, p.got);
for (const c of [s, p, w]) c.close();
console.log(`ok ${name}: subscribe after the upgrade to WebSocket; create and publish over long-polling and WebSocket; every notification field; a generated requestId`);
process.exit(0);
