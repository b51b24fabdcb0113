// Drives a Bayeux server with the official CometD client's extensions (npm cometd): binary and timesync.
// SPDX-License-Identifier: BSL-1.0
//
//   node cometd_extensions.mjs URL long-polling|websocket SKEW_MS
//
// Two clients with AckExtension, BinaryExtension and TimeSyncExtension
// registered: A subscribes, B publishes binary data (publishBinary, Z85 in transit, with
// `ext.binary`). Checks that A gets the bytes back decoded, with the `last`
// flag and the `meta` object, and that a plain publish on the same channel
// still arrives as plain data, both in acknowledged batches (their numbers
// on A's connect replies, over WebSocket too). The server's clock runs SKEW_MS ahead of this
// machine's (rtnotify-server --timesync-skew): the time offset each client
// computes from the server's timesync replies must be SKEW_MS, within 250 ms.
// Prints one "ok" line and exits 0, or names the failed step and exits 1.
import { setTimeout as sleep } from "node:timers/promises";

import { steps } from "./steps.mjs";

const [url, transport, skewArg] = process.argv.slice(2);
const skew = Number(skewArg);
if (!url || !["long-polling", "websocket"].includes(transport) || !Number.isInteger(skew)) {
  console.error("usage: node cometd_extensions.mjs URL long-polling|websocket SKEW_MS");
  process.exit(2);
}

const { fail, within, ok } = steps(`cometd extensions ${transport}`);

const { adapt } = await import("cometd-nodejs-client");
const { CometD, AckExtension, BinaryExtension, TimeSyncExtension } = await import("cometd");
adapt();

function client() {
  const c = new CometD();
  c.batches = []; // the ack batch numbers the connect replies carried
  c.registerExtension("batches", {
    incoming(m) {
      if (m.channel === "/meta/connect" && typeof m.ext?.ack === "number") c.batches.push(m.ext.ack);
      return m;
    },
  });
  c.registerExtension("ack", new AckExtension());
  c.registerExtension("binary", new BinaryExtension());
  c.timesync = new TimeSyncExtension();
  c.registerExtension("timesync", c.timesync);
  if (transport === "long-polling") c.unregisterTransport("websocket");
  c.configure({ url, logLevel: "warn" });
  return c;
}

const a = client();
const b = client();
await within("handshake A", (done) => a.handshake((r) => done(ok("handshake A")(r))));
await within("handshake B", (done) => b.handshake((r) => done(ok("handshake B")(r))));
if (a.getTransport()?.type !== transport) fail("transport", `${a.getTransport()?.type} instead of ${transport}`);

const got = [];
await within("subscribe", (done) => a.subscribe("/bin/x", (m) => got.push(m), (r) => done(ok("subscribe")(r))));

const bytes = new Uint8Array(256);
for (let i = 0; i < bytes.length; ++i) bytes[i] = (i * 7 + 3) % 256;
await within("publishBinary", (done) =>
  b.publishBinary("/bin/x", bytes.buffer, true, { name: "sample" }, (r) => done(ok("publishBinary")(r))));
await within("plain publish", (done) => b.publish("/bin/x", { text: "plain" }, (r) => done(ok("plain publish")(r))));

const deadline = Date.now() + 5000;
while (Date.now() < deadline && got.length < 2) await sleep(20);
if (got.length !== 2) fail("deliveries", `${got.length} of 2 arrived: ${JSON.stringify(got)}`);
const [binary, plain] = got;
const data = binary.data?.data;
if (!(data instanceof ArrayBuffer)) fail("binary delivery", `data.data is not decoded: ${JSON.stringify(binary)}`);
const received = new Uint8Array(data);
if (received.length !== bytes.length || received.some((v, i) => v !== bytes[i]))
  fail("binary delivery", `the bytes differ (${received.length} bytes received)`);
if (binary.data.last !== true || binary.data.meta?.name !== "sample")
  fail("binary delivery", `last or meta lost: ${JSON.stringify({ last: binary.data.last, meta: binary.data.meta })}`);
if (JSON.stringify(plain.data) !== JSON.stringify({ text: "plain" })) fail("plain delivery", JSON.stringify(plain));

// with the acknowledgement extension the deliveries came in numbered batches on connect replies
if (Math.max(0, ...a.batches) < 1) fail("ack", `no batch number on A's connect replies: ${JSON.stringify(a.batches)}`);

const offsets = [a, b].map((c) => c.timesync.getTimeOffset());
if (offsets.some((o) => Math.abs(o - skew) > 250))
  fail("timesync", `time offsets ${JSON.stringify(offsets)} ms, the server's clock is ${skew} ms ahead`);

await within("disconnect A", (done) => a.disconnect(() => done()));
await within("disconnect B", (done) => b.disconnect(() => done()));
console.log(`ok cometd extensions ${transport}: binary data decoded (256 bytes, last, meta), plain data unchanged, ` +
  `timesync offsets ${offsets.join(" and ")} ms for a server ${skew} ms ahead, ack batches up to ${Math.max(...a.batches)}`);
process.exit(0);
