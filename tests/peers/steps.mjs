// Step helpers of the peer scripts: name the step that failed, bound every wait.
// SPDX-License-Identifier: BSL-1.0

/** Helpers for a script whose failures read "FAIL <label>: <step>: <detail>". */
export function steps(label) {
  function fail(step, detail) {
    console.error(`FAIL ${label}: ${step}${detail ? ": " + detail : ""}`);
    process.exit(1);
  }
  // Calls `start(done)`; resolves with what `done` gets, or fails the step after `ms`.
  function within(step, start, ms = 5000) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(step, `no answer within ${ms} ms`), ms);
      start((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
  // Awaits `promise`; fails the step if it rejects or does not settle within `ms`.
  function guard(step, promise, ms = 5000) {
    let timer;
    const late = new Promise(() => {
      timer = setTimeout(() => fail(step, `no answer within ${ms} ms`), ms);
    });
    return Promise.race([promise, late])
      .catch((e) => fail(step, String(e?.message ?? e)))
      .finally(() => clearTimeout(timer));
  }
  // A Bayeux reply callback that fails the step unless the reply is successful.
  const ok = (step) => (reply) => (reply.successful ? reply : fail(step, JSON.stringify(reply)));
  // Awaits `promise`, which must be refused with the Kuzzle error `id`.
  async function refused(step, promise, id) {
    try {
      await promise;
    } catch (e) {
      if (e.id !== id) fail(step, `refused with ${e.id} (${e.status}: ${e.message}), expected ${id}`);
      return;
    }
    fail(step, "accepted");
  }
  return { fail, within, guard, ok, refused };
}
