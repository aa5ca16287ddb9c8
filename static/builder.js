// builder.js — loads the lesson builder (builder.wasm, its own Go program)
// when an author clicks "Make a lesson" on the sandbox page (ui.wasm calls
// brokerlab.openBuilder), so the first load carries none of it. The builder
// reads the page's engine (brokerlab.engine) for its live goal checks and
// plays the lesson it checks on a second engine worker of its own
// (brokerlab.builderEngine), started on first use: the sandbox's engine is
// never touched.

import { EngineClient } from './engine-client.js';

let second = null;
let started = null;

globalThis.brokerlab = globalThis.brokerlab || {};

globalThis.brokerlab.builderEngine = async () => {
  if (!second) second = new EngineClient();
  await second.ready;
  return second;
};

globalThis.brokerlab.openBuilder = () => {
  if (globalThis.brokerlab.builderReady) return started;
  if (!document.querySelector('link[href="builder.css"]')) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = 'builder.css';
    document.head.appendChild(css);
  }
  started = (async () => {
    const go = new globalThis.Go();
    const { instance } = await WebAssembly.instantiateStreaming(fetch('builder.wasm'), go.importObject);
    go.run(instance).catch((e) => console.error('builder.wasm exited:', e));
  })().catch((e) => {
    console.error('builder:', e);
    globalThis.brokerlab.builderError = String(e);
    started = null;
  });
  return started;
};
