// The CometD project's Node.js server (npm cometd-nodejs-server) on a free
// loopback port, mounted on /cometd (other paths: 404); prints
// "listening on http://127.0.0.1:PORT" once ready. Runs until killed.
// SPDX-License-Identifier: BSL-1.0
//
//   node cometd_server.mjs [HOLD_MS or default]
import { createRequire } from "node:module";
import http from "node:http";

const require = createRequire(import.meta.url);
const cometd = require("cometd-nodejs-server");
// `default` (or no argument) keeps the server's own hold time and interval
const hold = process.argv[2] ?? "default";
const bayeux = cometd.createCometDServer(hold === "default" ? {} : { timeout: Number(hold), maxInterval: Number(hold) + 1000 });
const server = http.createServer((req, res) => {
  if (req.url === "/cometd" || req.url.startsWith("/cometd/") || req.url.startsWith("/cometd?")) {
    bayeux.handle(req, res);
    return;
  }
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found\n");
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
