// A stand-in for the koncorde module that records the workload of
// shared/testdata/koncorde-oracle/bench.js instead of matching it: each
// `new Koncorde()` writes the filters it is given and the documents it is
// asked to test, as JSON lines, to $RTNOTIFY_WORKLOAD_DIR/<n>.filters.jsonl
// and <n>.docs.jsonl (n counts instances from 0).
// SPDX-License-Identifier: BSL-1.0
'use strict';
const fs = require('fs');
const path = require('path');

let instances = 0;

class Koncorde {
  constructor() {
    this.n = instances++;
    this.dir = process.env.RTNOTIFY_WORKLOAD_DIR;
    this.filters = [];
    this.docs = new Set();
  }

  register(filter) {
    this.filters.push(filter);
    return String(this.filters.length);
  }

  test(doc) {
    if (this.filters !== null) this.flushFilters();
    if (!this.docs.has(doc)) {
      this.docs.add(doc);
      fs.appendFileSync(path.join(this.dir, `${this.n}.docs.jsonl`), JSON.stringify({ j: this.docs.size - 1, doc }) + '\n');
    }
    return [];
  }

  flushFilters() {
    const lines = this.filters.map((filter, i) => JSON.stringify({ i, filter })).join('\n') + '\n';
    fs.writeFileSync(path.join(this.dir, `${this.n}.filters.jsonl`), lines);
    fs.writeFileSync(path.join(this.dir, `${this.n}.docs.jsonl`), '');
    this.filters = null;
  }
}

module.exports = { Koncorde };
