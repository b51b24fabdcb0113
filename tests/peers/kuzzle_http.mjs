// The official Kuzzle SDK (npm kuzzle-sdk, unmodified) over its Http protocol against rtnotify-server --config.
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle_http.mjs HOST PORT
//
// The server's configuration (run_kuzzle_auth.sh) has alice (password
// "alice", every right) and anonymous clients that may only subscribe and
// read the routes (server:publicApi). An anonymous SDK subscribes over
// WebSocket; a second SDK speaks HTTP only: it builds its URLs from the
// server's routes, is refused while anonymous, logs in, then creates,
// publishes, reads, updates, replaces, searches and deletes; the WebSocket
// subscriber hears every write, with protocol "http". After logout its
// token is refused. Prints one "ok" line and exits 0, or names the failed
// step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const { Kuzzle, WebSocket, Http } = require("kuzzle-sdk");
const [host, portArg] = process.argv.slice(2);
if (!host || !portArg) {
  console.error("usage: node kuzzle_http.mjs HOST PORT");
  process.exit(2);
}
const port = Number(portArg);
const { fail, guard, refused } = steps("kuzzle-sdk http");


const sub = new Kuzzle(new WebSocket(host, { port }));
await guard("connect the WebSocket subscriber", sub.connect());
const heard = [];
await guard(
  "subscribe",
  sub.realtime.subscribe("shop", "items", {}, (n) => heard.push(`${n.action}:${n.result._id ?? n.result._source.note}:${n.protocol}`)),
);
// Waits until the subscriber heard `count` notifications in all.
async function hear(step, count) {
  for (let i = 0; i < 250 && heard.length < count; ++i) await sleep(20);
  if (heard.length !== count) fail(step, `heard ${JSON.stringify(heard)}`);
}

const h = new Kuzzle(new Http(host, { port }));
await guard("connect over HTTP", h.connect());
const create = h.protocol.routes.document?.create;
if (create?.url !== "/:index/:collection/_create" || create?.verb !== "POST")
  fail("routes from server:publicApi", JSON.stringify(create));
const now = await guard("server:now", h.server.now());
if (typeof now !== "number" || Math.abs(now - Date.now()) > 60000) fail("server:now", String(now));

await refused("anonymous create", h.document.create("shop", "items", { price: 1 }, "x"), "security.rights.unauthorized");
await refused("wrong password", h.auth.login("local", { username: "alice", password: "nope" }), "security.credentials.invalid");
await guard("login", h.auth.login("local", { username: "alice", password: "alice" }, "1h"));
const me = await guard("getCurrentUser", h.auth.getCurrentUser());
if (me._id !== "alice") fail("getCurrentUser", JSON.stringify(me));

await guard("create", h.document.create("shop", "items", { price: 1 }, "one"));
await hear("hear the create", 1);
await guard("publish", h.realtime.publish("shop", "items", { note: "hi" }));
await hear("hear the publish", 2);
const got = await guard("get", h.document.get("shop", "items", "one"));
if (got._source.price !== 1) fail("get", JSON.stringify(got));
if ((await guard("exists", h.document.exists("shop", "items", "one"))) !== true) fail("exists", "false");
await guard("update", h.document.update("shop", "items", "one", { price: 2 }));
await guard("replace", h.document.replace("shop", "items", "one", { price: 3, name: "pen" }));
await guard("create two", h.document.create("shop", "items", { price: 9 }, "two"));
const found = await guard("search", h.document.search("shop", "items", { query: { range: { price: { lt: 5 } } } }));
if (found.total !== 1 || found.hits[0]._id !== "one" || found.hits[0]._source.name !== "pen")
  fail("search", JSON.stringify({ total: found.total, hits: found.hits }));
await guard("delete", h.document.delete("shop", "items", "one"));
await hear("hear every write", 6);
const expected = ["create:one:http", "publish:hi:http", "update:one:http", "replace:one:http", "create:two:http", "delete:one:http"];
if (heard.join() !== expected.join()) fail("what the subscriber heard", JSON.stringify(heard));

const token = h.jwt;
await guard("logout", h.auth.logout());
h.jwt = token; // use the logged-out token anyway, as a stolen copy would
await refused("logged-out token", h.document.create("shop", "items", { price: 4 }, "three"), "security.token.invalid");

sub.disconnect();
h.disconnect();
console.log("ok kuzzle-sdk http");
process.exit(0);
