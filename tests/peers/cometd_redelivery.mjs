// The official CometD client's AckExtension against a Bayeux server, through a proxy that drops one connection.
// SPDX-License-Identifier: BSL-1.0
//
//   node cometd_redelivery.mjs URL long-polling|websocket
//
// Client A (AckExtension) reaches the server at URL through a TCP proxy on
// loopback; client B publishes directly. Once A is subscribed, the proxy
// drops A's connection (both ends, without forwarding it) at the first
// bytes from the server that carry the first message, so A never receives
// that batch. A reconnects by itself; its connect acknowledges only the
// batches it got, so the server must send the lost batch again. Checks that A
// gets the first message exactly once, then a second one, in order, under
// the same session. Prints one "ok" line and exits 0, or names the failed
// step and exits 1.
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { steps } from "./steps.mjs";

const [url, transport] = process.argv.slice(2);
if (!url || !["long-polling", "websocket"].includes(transport)) {
  console.error("usage: node cometd_redelivery.mjs URL long-polling|websocket");
  process.exit(2);
}

const { fail, within, ok } = steps(`cometd redelivery ${transport}`);

const { adapt } = await import("cometd-nodejs-client");
const { CometD, AckExtension } = await import("cometd");
adapt();

// The proxy: forwards both ways; once armed, the first server bytes holding `marker` end both sockets instead.
const target = new URL(url);
const marker = "lost-once";
let armed = false;
let dropped = 0;
const proxy = net.createServer((down) => {
  const up = net.connect(Number(target.port), target.hostname);
  down.on("data", (b) => up.write(b));
  up.on("data", (b) => {
    if (armed && b.includes(marker)) {
      armed = false;
      ++dropped;
      up.destroy();
      down.destroy();
      return;
    }
    down.write(b);
  });
  const end = () => {
    up.destroy();
    down.destroy();
  };
  down.on("error", end).on("close", end);
  up.on("error", end).on("close", end);
});
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const proxied = new URL(url);
proxied.port = String(proxy.address().port);

function client(at, ack) {
  const c = new CometD();
  c.handshakes = 0;
  c.registerExtension("count", {
    incoming(m) {
      if (m.channel === "/meta/handshake" && m.successful) ++c.handshakes;
      return m;
    },
  });
  if (ack) c.registerExtension("ack", new AckExtension());
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url: at, logLevel: "error" });
  return c;
}

const a = client(proxied.toString(), true);
const b = client(url, false);
await within("handshake A", (done) => a.handshake((r) => done(ok("handshake A")(r))));
await within("handshake B", (done) => b.handshake((r) => done(ok("handshake B")(r))));
if (a.getTransport()?.type !== transport) fail("transport", `${a.getTransport()?.type} instead of ${transport}`);
const got = [];
await within("subscribe", (done) => a.subscribe("/redeliver", (m) => got.push(m.data), (r) => done(ok("subscribe")(r))));
const session = a.getClientId();

armed = true;
await within("publish 1", (done) => b.publish("/redeliver", { n: 1, tag: marker }, (r) => done(ok("publish 1")(r))));
let deadline = Date.now() + 10000;
while (Date.now() < deadline && got.length < 1) await sleep(20);
if (dropped !== 1) fail("proxy", `dropped ${dropped} connections (the delivery never crossed it?)`);
if (got.length !== 1) fail("redelivery", `${got.length} messages after the drop: ${JSON.stringify(got)}`);
await within("publish 2", (done) => b.publish("/redeliver", { n: 2 }, (r) => done(ok("publish 2")(r))));
deadline = Date.now() + 5000;
while (Date.now() < deadline && got.length < 2) await sleep(20);
await sleep(300); // a duplicate would come now
const ns = got.map((d) => d.n);
if (JSON.stringify(ns) !== "[1,2]") fail("exactly once, in order", JSON.stringify(got));
if (a.getClientId() !== session || a.handshakes !== 1)
  fail("session", `A handshook ${a.handshakes} times (${session} → ${a.getClientId()}): the batch was not redelivered`);

await within("disconnect A", (done) => a.disconnect(() => done()));
await within("disconnect B", (done) => b.disconnect(() => done()));
proxy.close();
console.log(`ok cometd redelivery ${transport}: the batch lost with the dropped connection came again once, ` +
  `then the next one, under session ${session}`);
process.exit(0);
