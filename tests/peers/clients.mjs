// Drives a Bayeux server with an unmodified third-party client library.
// SPDX-License-Identifier: BSL-1.0
//
//   node clients.mjs URL cometd|faye long-polling|websocket HOLD_MS
//
// Two clients of the chosen library: A subscribes (plain, `*` and `**`), B
// publishes. Checks: A receives exactly what matches, again after a full
// held-connect cycle (HOLD_MS is the server's connect hold), nothing after
// unsubscribing; the transport used is the one asked for; both disconnect.
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { steps } from "./steps.mjs";

const [url, library, transport, holdArg] = process.argv.slice(2);
const hold = Number(holdArg ?? 1000);
if (!url || !["cometd", "faye"].includes(library) || !["long-polling", "websocket"].includes(transport)) {
  console.error("usage: node clients.mjs URL cometd|faye long-polling|websocket HOLD_MS");
  process.exit(2);
}

const { fail, guard } = steps(`${library} ${transport}`);

// Resolves with the callback's argument, or fails the step after `ms`.
function within(ms, step, start) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(step, `no answer within ${ms} ms`), ms);
    start((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

// The same small interface over both libraries.
async function cometdClient() {
  const { adapt } = await import("cometd-nodejs-client");
  const { CometD } = await import("cometd");
  adapt();
  const c = new CometD();
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url, logLevel: "warn" });
  const ok = (step) => (reply) => (reply.successful ? reply : fail(step, JSON.stringify(reply)));
  return {
    handshake: () => within(5000, "handshake", (done) => c.handshake((r) => done(ok("handshake")(r)))),
    subscribe: (channel, onMessage) =>
      within(5000, `subscribe ${channel}`, (done) => {
        const handle = c.subscribe(channel, (m) => onMessage(m.channel, m.data), (r) => {
          ok(`subscribe ${channel}`)(r);
          done(handle);
        });
      }),
    unsubscribe: (handle) => within(5000, "unsubscribe", (done) => c.unsubscribe(handle, (r) => done(ok("unsubscribe")(r)))),
    publish: (channel, data) => within(5000, `publish ${channel}`, (done) => c.publish(channel, data, (r) => done(ok(`publish ${channel}`)(r)))),
    transport: () => c.getTransport()?.type,
    disconnect: () => within(5000, "disconnect", (done) => c.disconnect((r) => done(ok("disconnect")(r)))),
  };
}

async function fayeClient() {
  const require = createRequire(import.meta.url);
  const faye = require("faye");
  const c = new faye.Client(url, { timeout: Math.ceil(hold / 1000) + 5, retry: 1 });
  if (transport === "long-polling") c.disable("websocket");
  else c.disable("eventsource");
  let used;
  c.addExtension({
    outgoing(m, cb) {
      if (m.channel === "/meta/connect") used = m.connectionType;
      cb(m);
    },
  });
  return {
    handshake: () => guard("handshake", new Promise((resolve) => c.connect(resolve))),
    subscribe: async (channel, onMessage) => {
      const s = c.subscribe(channel, (data) => onMessage(data.channel, data.data));
      await guard(`subscribe ${channel}`, s);
      return { s }; // a Faye subscription is thenable: returned bare, it would be awaited away
    },
    unsubscribe: async ({ s }) => {
      s.cancel();
      await sleep(300); // Faye's unsubscribe takes no callback
    },
    publish: (channel, data) => guard(`publish ${channel}`, c.publish(channel, { channel, data })),
    transport: () => used,
    disconnect: () => guard("disconnect", c.disconnect()),
  };
}

const make = library === "cometd" ? cometdClient : fayeClient;
const a = await make();
const b = await make();
// every delivery as "channel=data"
const got = [];
const receive = (channel, data) => got.push(`${channel}=${JSON.stringify(data)}`);

await a.handshake();
await b.handshake();
const plain = await a.subscribe("/chat/demo", receive);
await a.subscribe("/one/*", receive);
await a.subscribe("/deep/**", receive);

async function expectExactly(step, expected, waitMs) {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && got.length < expected.length) await sleep(20);
  await sleep(200); // anything extra would arrive now
  const have = got.splice(0).sort();
  const want = [...expected].sort();
  if (JSON.stringify(have) !== JSON.stringify(want)) fail(step, `received ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`);
}

await b.publish("/chat/demo", 1);
await b.publish("/one/x", 2);
await b.publish("/one/x/y", 3); // not under /one/*
await b.publish("/deep/x/y", 4);
await b.publish("/other", 5);
await expectExactly("wildcard delivery", ["/chat/demo=1", "/one/x=2", "/deep/x/y=4"], 5000);

await sleep(hold * 1.5); // A's connect is held, times out and is renewed
await b.publish("/chat/demo", 6);
await expectExactly("delivery after a held-connect cycle", ["/chat/demo=6"], 5000);

await a.unsubscribe(plain);
await b.publish("/chat/demo", 7);
await b.publish("/one/z", 8);
await expectExactly("no delivery after unsubscribe", ["/one/z=8"], 5000);

const used = a.transport();
if (used !== transport) fail("transport", `used ${used}, asked for ${transport}`);
await a.disconnect();
await b.disconnect();
console.log(`ok ${library} ${transport}`);
process.exit(0);
