// Drives Kuzzle's WebSocket API with the official SDK (npm kuzzle-sdk, unmodified).
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle.mjs HOST PORT
//
// A subscribes to a filter twice (scope all with user notifications, and
// scope out); W writes documents. Checks: A hears documents as they enter,
// stay in and leave the filter (and the out channel only departures), a
// publish, W's arrival and departure with the room's count, nothing once
// unsubscribed; mCreate, mUpdate, search and deleteByQuery (Koncorde
// queries) answer as the SDK expects and notify once per document; a bad
// filter is refused with status 400. Prints one "ok"
// line and exits 0, or names the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const { Kuzzle, WebSocket } = require("kuzzle-sdk");
const [host, portArg] = process.argv.slice(2);
if (!host || !portArg) {
  console.error("usage: node kuzzle.mjs HOST PORT");
  process.exit(2);
}

const { fail, guard } = steps("kuzzle-sdk");

const connect = async (name) => {
  const k = new Kuzzle(new WebSocket(host, { port: Number(portArg) }));
  await guard(`connect ${name}`, k.connect());
  return k;
};
const a = await connect("A");
const w = await connect("W");

// every notification as a short line
const all = [];
const outs = [];
const line = (n) =>
  n.type === "user"
    ? `user ${n.user} ${n.result.count}`
    : [n.action, n.scope, n.result._id, n.result._source?.price].filter((x) => x !== undefined && x !== null).join(" ");
const filter = { range: { price: { lt: 10 } } };
const room = await guard(
  "subscribe",
  a.realtime.subscribe("shop", "items", filter, (n) => all.push(line(n)), { users: "all" }),
);
await guard("subscribe scope out", a.realtime.subscribe("shop", "items", filter, (n) => outs.push(line(n)), { scope: "out" }));

async function expectExactly(step, got, expected) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && got.length < expected.length) await sleep(20);
  await sleep(200); // anything extra would arrive now
  const have = got.splice(0);
  if (JSON.stringify(have) !== JSON.stringify(expected)) fail(step, `received ${JSON.stringify(have)}, expected ${JSON.stringify(expected)}`);
}
await expectExactly("own arrival", all, ["user in 1"]);

await guard("create pen", w.document.create("shop", "items", { name: "pen", price: 2 }, "pen"));
await guard("create car", w.document.create("shop", "items", { name: "car", price: 9000 }, "car"));
await guard("update pen", w.document.update("shop", "items", "pen", { price: 3 }));
await guard("update pen out", w.document.update("shop", "items", "pen", { price: 30 }));
await guard("replace car in", w.document.replace("shop", "items", "car", { name: "toy car", price: 5 }));
await guard("delete car", w.document.delete("shop", "items", "car"));
await guard("publish", w.realtime.publish("shop", "items", { price: 1 }));
await expectExactly("document notifications", all, [
  "create in pen 2",
  "update in pen 3",
  "update out pen 30",
  "replace in car 5",
  "delete out car 5",
  "publish in 1",
]);
await expectExactly("scope out", outs, ["update out pen 30", "delete out car 5"]);

// several documents at once, and queries in the Koncorde DSL, through the SDK's own calls
const made = await guard(
  "mCreate",
  w.document.mCreate("shop", "items", [
    { _id: "m1", body: { price: 4 } },
    { _id: "m2", body: { price: 400 } },
    { _id: "pen", body: {} },
  ]),
);
if (made.successes.length !== 2 || made.errors.length !== 1 || made.errors[0].status !== 409)
  fail("mCreate", JSON.stringify(made));
await guard(
  "mUpdate",
  w.document.mUpdate("shop", "items", [
    { _id: "m1", body: { price: 5 } },
    { _id: "m2", body: { price: 6 } },
  ]),
);
const found = await guard(
  "search",
  w.document.search("shop", "items", { query: { range: { price: { lt: 10 } } } }, { lang: "koncorde" }),
);
if (found.total !== 2 || found.hits.map((h) => h._id).join() !== "m1,m2") fail("search", JSON.stringify(found.hits));
const gone = await guard(
  "deleteByQuery",
  w.document.deleteByQuery("shop", "items", { query: { ids: { values: ["m1", "m2"] } } }, { lang: "koncorde" }),
);
if (gone.length !== 2) fail("deleteByQuery", JSON.stringify(gone));
await expectExactly("notifications of several documents", all, [
  "create in m1 4",
  "update in m1 5",
  "update in m2 6",
  "delete out m1 5",
  "delete out m2 6",
]);

const got = await guard("get", w.document.get("shop", "items", "pen"));
if (got._source.price !== 30 || got._version !== 3) fail("get", JSON.stringify(got));

const roomW = await guard("W subscribes", w.realtime.subscribe("shop", "items", filter, () => {}));
if (roomW !== room) fail("same filter, same room", `${roomW} != ${room}`);
await expectExactly("W arrives", all, ["user in 2"]);
if ((await guard("count", a.realtime.count(room))) !== 2) fail("count", "expected 2");
w.disconnect();
await expectExactly("W leaves", all, ["user out 1"]);

try {
  await a.realtime.subscribe("shop", "items", { range: { price: { gt: "cheap" } } }, () => {});
  fail("bad filter", "accepted");
} catch (e) {
  if (e.status !== 400) fail("bad filter", `status ${e.status}: ${e.message}`);
}

await guard("unsubscribe", a.realtime.unsubscribe(room));
const w2 = await connect("W2");
await guard("create after unsubscribe", w2.document.create("shop", "items", { price: 1 }, "late"));
await expectExactly("nothing after unsubscribe", all, []);
a.disconnect();
w2.disconnect();
console.log("ok kuzzle-sdk websocket");
process.exit(0);
