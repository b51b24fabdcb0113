// Logs in with the official Kuzzle SDK (npm kuzzle-sdk, unmodified) to rtnotify-server --config.
// SPDX-License-Identifier: BSL-1.0
//
//   node kuzzle_auth.mjs HOST PORT
//
// The server's configuration (run_kuzzle_auth.sh) has alice (password
// "alice", every right) and anonymous clients that may only subscribe.
// Checks: anonymous creation is refused (401 security.rights.unauthorized);
// a wrong password is refused; alice logs in with a 2 s token, subscribes,
// hears a document that a second, logged-in SDK creates; when the token
// expires the SDK emits "tokenExpired" and alice hears nothing more; a
// logged-out token is refused. Prints one "ok" line and exits 0, or names
// the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const require = createRequire(import.meta.url);
const { Kuzzle, WebSocket } = require("kuzzle-sdk");
const [host, portArg] = process.argv.slice(2);
if (!host || !portArg) {
  console.error("usage: node kuzzle_auth.mjs HOST PORT");
  process.exit(2);
}

const { fail, guard, refused } = steps("kuzzle-sdk auth");


const connect = async (name) => {
  // tokenExpiredInterval 0: the SDK reports every expiry it is told of
  const k = new Kuzzle(new WebSocket(host, { port: Number(portArg) }), { tokenExpiredInterval: 0 });
  await guard(`connect ${name}`, k.connect());
  return k;
};
const a = await connect("alice");
const w = await connect("writer");

await refused("anonymous create", a.document.create("shop", "items", { price: 1 }, "x"), "security.rights.unauthorized");
await refused("wrong password", a.auth.login("local", { username: "alice", password: "nope" }), "security.credentials.invalid");

await guard("writer login", w.auth.login("local", { username: "alice", password: "alice" }, "1h"));
const jwt = await guard("alice login", a.auth.login("local", { username: "alice", password: "alice" }, "2s"));
if (typeof jwt !== "string" || jwt.split(".").length !== 3) fail("alice login", `token ${jwt}`);
const me = await guard("getCurrentUser", a.auth.getCurrentUser());
if (me._id !== "alice") fail("getCurrentUser", JSON.stringify(me));

const heard = [];
let expired = 0;
a.on("tokenExpired", () => expired++);
await guard("subscribe", a.realtime.subscribe("shop", "items", {}, (n) => heard.push(n.result._id)));
await guard("create one", w.document.create("shop", "items", { price: 1 }, "one"));
for (let i = 0; i < 100 && heard.length < 1; ++i) await sleep(20);
if (heard.join() !== "one") fail("notification before expiry", JSON.stringify(heard));

// the token lasts 2 s; the server checks every second
for (let i = 0; i < 200 && expired === 0; ++i) await sleep(20);
if (expired !== 1) fail("tokenExpired", `emitted ${expired} times within 4 s`);
await guard("create two", w.document.create("shop", "items", { price: 2 }, "two"));
await sleep(300);
if (heard.join() !== "one") fail("nothing after expiry", JSON.stringify(heard));

const token = w.jwt;
await guard("logout", w.auth.logout());
const check = await guard("checkToken after logout", w.auth.checkToken(token));
if (check.valid !== false) fail("checkToken after logout", JSON.stringify(check));
w.jwt = token; // use the logged-out token anyway, as a stolen copy would
await refused("logged-out token", w.document.create("shop", "items", { price: 3 }, "three"), "security.token.invalid");

a.disconnect();
w.disconnect();
console.log("ok kuzzle-sdk auth");
process.exit(0);
