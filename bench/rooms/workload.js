#!/usr/bin/env node
// Writes the rooms benchmark's workload as JSON lines: for each mix and each N,
// N seeded filters and a pool of 10,000 documents, the same bytes on every run.
// SPDX-License-Identifier: BSL-1.0
//
//   node bench/rooms/workload.js OUT_DIR N...
//
// Writes OUT_DIR/<mix>-<N>.filters.jsonl ({"i":n,"filter":{...}} lines) and
// OUT_DIR/<mix>-<N>.docs.jsonl ({"j":n,"doc":{...}} lines), the input format of
// `rtnotify-match` and of bench/rooms/koncorde.js, for the mixes:
//
//   selective  per-device subscriptions: a document matches a handful of filters
//   broad      dashboard-like subscriptions on shared fields: a document matches many
'use strict';

const fs = require('fs');
const path = require('path');

// xorshift32 (Marsaglia, 2003), seeded per mix and N: a value of [0, 1).
function generator(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

function workload(mix, n, seed) {
  const next = generator(seed);
  const integer = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const oneOf = (values) => values[Math.floor(next() * values.length)];
  const some = (count, make) => Array.from({ length: count }, make);

  const DEVICES = 25000;
  const KINDS = some(16, (_, k) => 'kind' + k);
  const SITES = some(40, (_, k) => 'site' + k);
  const STATES = ['online', 'offline', 'degraded', 'maintenance'];
  const device = () => 'dev' + integer(0, DEVICES - 1);
  const levelFrom = (width) => { const lo = integer(0, 1000 - width); return { gte: lo, lt: lo + width }; };
  const temperatureAbove = () => ({ gt: integer(-10, 40) });

  const MIXES = {
    selective: [
      [40, () => ({ equals: { device: device() } })],
      [15, () => ({ and: [{ equals: { device: device() } }, { equals: { state: oneOf(STATES) } }] })],
      [15, () => ({ and: [{ equals: { device: device() } }, { range: { level: levelFrom(integer(50, 300)) } }] })],
      [10, () => ({ in: { device: some(integer(2, 6), device) } })],
      [10, () => ({ range: { level: levelFrom(integer(1, 4)) } })],
      [10, () => ({ or: [{ equals: { device: device() } }, { and: [{ equals: { kind: oneOf(KINDS) } }, { equals: { site: oneOf(SITES) } }] }] })],
    ],
    broad: [
      [20, () => ({ equals: { device: device() } })],
      [15, () => { const field = oneOf(['kind', 'site', 'state']); return { equals: { [field]: oneOf({ kind: KINDS, site: SITES, state: STATES }[field]) } }; }],
      [15, () => ({ and: [{ equals: { kind: oneOf(KINDS) } }, { equals: { state: oneOf(STATES) } }] })],
      [15, () => (next() < 0.5 ? { range: { level: levelFrom(integer(100, 600)) } } : { range: { temperature: temperatureAbove() } })],
      [15, () => ({ in: { site: some(integer(3, 6), () => oneOf(SITES)) } })],
      [10, () => ({ and: [{ equals: { device: device() } }, { range: { level: levelFrom(integer(100, 600)) } }] })],
      [5, () => ({ or: [{ equals: { kind: oneOf(KINDS) } }, { and: [{ equals: { site: oneOf(SITES) } }, { range: { temperature: temperatureAbove() } }] }] })],
      [5, () => ({ bool: { must: [{ equals: { kind: oneOf(KINDS) } }], must_not: [{ equals: { state: oneOf(STATES) } }], should: [{ exists: 'alarm' }, { range: { level: { lt: integer(100, 500) } } }] } })],
    ],
  };

  const filter = () => {
    let ticket = next() * 100;
    for (const [weight, make] of MIXES[mix]) {
      ticket -= weight;
      if (ticket < 0) return make();
    }
    return MIXES[mix][0][1]();
  };
  const doc = () => {
    const d = { device: device(), kind: oneOf(KINDS), site: oneOf(SITES), state: oneOf(STATES),
      level: integer(0, 99999) / 100, temperature: integer(-300, 600) / 10, label: 'unit-' + integer(0, 999999) };
    if (next() < 0.25) d.alarm = integer(1, 3);
    return d;
  };
  return { filters: some(n, filter), docs: some(10000, doc) };
}

const [out, ...counts] = process.argv.slice(2);
const Ns = counts.map(Number);
if (!out || Ns.length === 0 || Ns.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('usage: node workload.js OUT_DIR N...');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
['selective', 'broad'].forEach((mix, m) => {
  for (const n of Ns) {
    const { filters, docs } = workload(mix, n, 0x9e3779b9 ^ (m * 1000003 + n));
    const base = path.join(out, `${mix}-${n}`);
    fs.writeFileSync(base + '.filters.jsonl', filters.map((filter, i) => JSON.stringify({ i, filter })).join('\n') + '\n');
    fs.writeFileSync(base + '.docs.jsonl', docs.map((doc, j) => JSON.stringify({ j, doc })).join('\n') + '\n');
  }
});
