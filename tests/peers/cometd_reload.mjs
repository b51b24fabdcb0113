// The official CometD client's ReloadExtension against a Bayeux server: a page reload keeps the session.
// SPDX-License-Identifier: BSL-1.0
//
//   node cometd_reload.mjs URL long-polling|websocket
//
// Page 1 (a CometD client with ReloadExtension) handshakes, subscribes and
// gets a first message; then it reloads: cometd.reload() saves the session
// in window.sessionStorage (here an in-memory one) and drops the
// connection. While no page is connected, client B publishes a second
// message. Page 2, a new CometD object with ReloadExtension, "handshakes":
// the extension replays page 1's handshake reply (ext.reload), and its
// first connect resumes the same session on the server, which must still
// hold the second message for it. Checks that page 2 has page 1's client
// id and gets the second message, then a third, each once: over
// long-polling too, where page 1 left a connect held on a connection it
// closed (the server must see that close, not write the message into it).
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
import { setTimeout as sleep } from "node:timers/promises";

import { steps } from "./steps.mjs";

const [url, transport] = process.argv.slice(2);
if (!url || !["long-polling", "websocket"].includes(transport)) {
  console.error("usage: node cometd_reload.mjs URL long-polling|websocket");
  process.exit(2);
}

const { fail, within, ok } = steps(`cometd reload ${transport}`);

const { adapt } = await import("cometd-nodejs-client");
const { CometD, ReloadExtension } = await import("cometd");
adapt();
// the browser's per-tab storage, which survives a reload
const stored = new Map();
globalThis.window.sessionStorage = {
  getItem: (k) => (stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => stored.set(k, String(v)),
  removeItem: (k) => stored.delete(k),
};

function page(withReload) {
  const c = new CometD();
  if (withReload) c.registerExtension("reload", new ReloadExtension());
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url, logLevel: "error" });
  return c;
}

async function until(step, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !what()) await sleep(20);
  if (!what()) fail(step, `not within ${ms} ms`);
}

const b = page(false);
await within("handshake B", (done) => b.handshake((r) => done(ok("handshake B")(r))));

const first = page(true);
const got1 = [];
await within("handshake page 1", (done) => first.handshake((r) => done(ok("handshake page 1")(r))));
if (first.getTransport()?.type !== transport) fail("transport", `${first.getTransport()?.type} instead of ${transport}`);
await within("subscribe page 1", (done) => first.subscribe("/reload", (m) => got1.push(m.data.n), (r) => done(ok("subscribe page 1")(r))));
await within("publish 1", (done) => b.publish("/reload", { n: 1 }, (r) => done(ok("publish 1")(r))));
await until("page 1 gets message 1", () => got1.length === 1);
const session = first.getClientId();

first.reload(); // the page unloads
if (!stored.size) fail("reload", "nothing saved in sessionStorage");
await sleep(200);
await within("publish 2", (done) => b.publish("/reload", { n: 2 }, (r) => done(ok("publish 2")(r))));

const second = page(true);
const got2 = [];
second.addListener("/reload", (m) => got2.push(m.data.n)); // before the first connect, which may carry message 2
let replayed = null;
await within("handshake page 2", (done) => second.handshake((r) => {
  replayed = r;
  done(ok("handshake page 2")(r));
}));
if (replayed?.ext?.reload !== true) fail("handshake page 2", `not replayed by the extension: ${JSON.stringify(replayed)}`);
if (second.getClientId() !== session) fail("session", `page 2 is ${second.getClientId()}, page 1 was ${session}`);
await until("page 2 gets message 2", () => got2.length >= 1);
await within("publish 3", (done) => b.publish("/reload", { n: 3 }, (r) => done(ok("publish 3")(r))));
await until("page 2 gets message 3", () => got2.length >= 2);
await sleep(300); // a duplicate would come now
if (JSON.stringify(got2) !== "[2,3]") fail("page 2 messages", JSON.stringify(got2));
if (JSON.stringify(got1) !== "[1]") fail("page 1 messages", JSON.stringify(got1));

await within("disconnect page 2", (done) => second.disconnect(() => done()));
await within("disconnect B", (done) => b.disconnect(() => done()));
console.log(`ok cometd reload ${transport}: page 2 resumed session ${session} (handshake replayed) and got the ` +
  `message published during the reload, then the next one, each once`);
process.exit(0);
