// bench.js — the engine-only page of wasm/speed: the playground's own
// EngineClient (so its Web Worker, WASI shim and OPFS files backend) with
// no UI. wasm/speed calls globalThis.speedBench.play and reads the result.

import { EngineClient } from '../engine-client.js';

const engine = new EngineClient();

globalThis.speedBench = {
  engine,

  // play opens scenario and advances it chunkUS at a time up to targetUS
  // (or its end), stopping after the call that crosses budgetMS of wall time.
  async play(scenario, targetUS, chunkUS, budgetMS) {
    const storage = await engine.storage;
    await engine.ready;
    const out = { storage: storage.mode, storage_reason: storage.reason || '', reached_us: 0, events: 0, calls: 0, marks: [] };
    const t0 = performance.now();
    let r = await engine.request('open', scenario);
    if (r.error) return { ...out, err: r.error.message };
    out.target_us = Math.min(targetUS, r.result.end_us);
    while (out.reached_us < out.target_us && performance.now() - t0 < budgetMS) {
      const to = Math.min(out.reached_us + chunkUS, out.target_us);
      r = await engine.request('advance', { to: `${to}us` });
      out.calls++;
      if (r.error) return { ...out, wall_ms: performance.now() - t0, err: r.error.message };
      out.reached_us = r.result.time_us;
      out.events = r.result.events;
      out.marks.push(performance.now() - t0);
    }
    out.wall_ms = performance.now() - t0;
    r = await engine.request('trace_hash', {});
    if (!r.error) out.hash = r.result.trace_hash;
    return out;
  },
};
