// A Faye server on a free loopback port, mounted on /bayeux; prints
// "listening on http://127.0.0.1:PORT" once ready. Runs until killed.
// SPDX-License-Identifier: BSL-1.0
//
//   node faye_server.mjs [HOLD_S or default]
import { createRequire } from "node:module";
import http from "node:http";

const require = createRequire(import.meta.url);
const faye = require("faye");
// `default` (or no argument) keeps Faye's own hold time
const hold = process.argv[2] ?? "default";
const bayeux = new faye.NodeAdapter(hold === "default" ? { mount: "/bayeux" } : { mount: "/bayeux", timeout: Number(hold) });
// Faye hands requests outside its mount to the server's other listeners: answer them 404, as an application would.
const server = http.createServer((req, res) => {
  if (!req.url.startsWith("/bayeux")) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found\n");
  }
});
bayeux.attach(server);
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
