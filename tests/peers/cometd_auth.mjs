// The official CometD client (npm cometd) against a Bayeux server that authenticates handshakes and guards channels.
// SPDX-License-Identifier: BSL-1.0
//
//   node cometd_auth.mjs URL long-polling|websocket
//
// The server's configuration (run_bayeux_auth.sh) has alice (password
// "alice"), whose role subscribes to /shop/** and /news/* and publishes to
// /shop/** only, and no anonymous Bayeux rights. Checks, with the CometD
// client: a handshake without credentials, with a wrong ext.authentication,
// and (long-polling) with a wrong Basic header is refused with
// 403::handshake_denied and reconnect "none"; with alice's ext.authentication,
// and (long-polling) with her Basic header, it is served; a subscribe outside
// her rules and a publish to /news/today are refused with CometD's 403
// errors, and her publish to /shop/items reaches both of her sessions.
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
import { setTimeout as sleep } from "node:timers/promises";

import { steps } from "./steps.mjs";

const [url, transport] = process.argv.slice(2);
if (!url || !["long-polling", "websocket"].includes(transport)) {
  console.error("usage: node cometd_auth.mjs URL long-polling|websocket");
  process.exit(2);
}

const { fail, within, ok } = steps(`cometd auth ${transport}`);

const { adapt } = await import("cometd-nodejs-client");
const { CometD } = await import("cometd");
adapt();

function client(requestHeaders) {
  const c = new CometD();
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url, logLevel: "warn", ...(requestHeaders ? { requestHeaders } : {}) });
  return c;
}

const basic = (user, password) => ({ Authorization: "Basic " + Buffer.from(`${user}:${password}`).toString("base64") });
const alice = { ext: { authentication: { user: "alice", credentials: "alice" } } };

// Refused handshakes: the reply says why, and the client does not retry.
let refusals = 0;
async function refused(step, c, props) {
  ++refusals;
  const r = await within(step, (done) => c.handshake(props, done));
  if (r.successful !== false || r.error !== "403::handshake_denied")
    fail(step, `expected 403::handshake_denied, got ${JSON.stringify(r)}`);
  await sleep(300);
  if (!c.isDisconnected()) fail(step, `the client retries (status ${c.getStatus()}): no reconnect "none" advice?`);
}
await refused("no credentials", client(), {});
await refused("wrong ext.authentication", client(), { ext: { authentication: { user: "alice", credentials: "alicf" } } });
if (transport === "long-polling") await refused("wrong Basic header", client(basic("alice", "alicf")), {});

const a = client();
await within("alice's ext.authentication", (done) => a.handshake(alice, (r) => done(ok("alice's ext.authentication")(r))));
if (a.getTransport()?.type !== transport) fail("transport", `${a.getTransport()?.type} instead of ${transport}`);
let b = a; // alice's second session: by her Basic header where the transport carries it
if (transport === "long-polling") {
  b = client(basic("alice", "alice"));
  await within("alice's Basic header", (done) => b.handshake({}, (r) => done(ok("alice's Basic header")(r))));
}

const denied = async (step, start, error) => {
  const r = await within(step, start);
  if (r.successful !== false || r.error !== error) fail(step, `expected ${error}, got ${JSON.stringify(r)}`);
};
await denied("subscribe outside the rules", (done) => a.subscribe("/private/x", () => {}, done),
  "403:/private/x:Subscription denied");
await denied("publish outside the rules", (done) => a.publish("/news/today", { n: 0 }, done),
  "403:/news/today:Publish denied");

const gotA = [];
const gotB = [];
await within("subscribe A", (done) => a.subscribe("/shop/*", (m) => gotA.push(m.data), (r) => done(ok("subscribe A")(r))));
if (b !== a)
  await within("subscribe B", (done) => b.subscribe("/shop/items", (m) => gotB.push(m.data), (r) => done(ok("subscribe B")(r))));
await within("publish", (done) => b.publish("/shop/items", { n: 1 }, (r) => done(ok("publish")(r))));
const deadline = Date.now() + 5000;
while (Date.now() < deadline && (gotA.length < 1 || (b !== a && gotB.length < 1))) await sleep(20);
if (JSON.stringify(gotA) !== '[{"n":1}]') fail("delivery A", JSON.stringify(gotA));
if (b !== a && JSON.stringify(gotB) !== '[{"n":1}]') fail("delivery B", JSON.stringify(gotB));

await within("disconnect A", (done) => a.disconnect(done));
if (b !== a) await within("disconnect B", (done) => b.disconnect(done));
console.log(`ok cometd auth ${transport}: ${refusals} refusals, 2 rule denials, deliveries ${gotA.length}+${gotB.length}`);
process.exit(0);
