#!/usr/bin/env node
// Times Koncorde on a workload of bench/rooms/workload.js, measured as `rtnotify-match --bench` measures rtnotify.
// SPDX-License-Identifier: BSL-1.0
//
//   NODE_PATH=<folder with koncorde> node bench/rooms/koncorde.js FILTERS.jsonl DOCUMENTS.jsonl
//
// Registers every filter in a fresh Koncorde (timed), tests 500 documents to
// warm up, then tests the pool in turn, 1,000 at a time, until at least 3 s
// have passed and every document was tested once. Prints one JSON line: N,
// ids (distinct filter ids), registerSeconds, docsTested, matchSeconds,
// docsPerSec, avgMatchingFiltersPerDoc.
'use strict';

const fs = require('fs');
const { Koncorde } = require('koncorde');

const lines = (file, key) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l)[key]);

const [filtersFile, docsFile] = process.argv.slice(2);
if (!filtersFile || !docsFile) {
  console.error('usage: node koncorde.js FILTERS.jsonl DOCUMENTS.jsonl');
  process.exit(2);
}
const filters = lines(filtersFile, 'filter');
const docs = lines(docsFile, 'doc');

const koncorde = new Koncorde();
const ids = new Set();
const t0 = process.hrtime.bigint();
for (const f of filters) ids.add(koncorde.register(f));
const registerSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

for (let k = 0; k < 500; k++) koncorde.test(docs[k % docs.length]);
let tested = 0;
let matched = 0;
let elapsed = 0;
const t1 = process.hrtime.bigint();
while (elapsed < 3 || tested < docs.length) {
  for (let k = 0; k < 1000; k++, tested++) matched += koncorde.test(docs[tested % docs.length]).length;
  elapsed = Number(process.hrtime.bigint() - t1) / 1e9;
}
console.log(JSON.stringify({
  N: filters.length, ids: ids.size, registerSeconds, docsTested: tested, matchSeconds: elapsed,
  docsPerSec: tested / elapsed, avgMatchingFiltersPerDoc: matched / tested,
}));
