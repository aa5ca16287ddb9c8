// Shared helpers for the shim's Node tests: the Go test reactors, a fake
// OPFS directory, and guest-memory plumbing for calling WASI functions by hand.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const built = new Map();

/**
 * reactorModule compiles one of testdata/{bare,reactor}. static/shim_test.go
 * builds them once and passes the folder in BL_REACTOR_DIR; run standalone
 * (node --test static/test/), the test builds them itself with go.
 */
export function reactorModule(name) {
  if (!built.has(name)) {
    let file;
    if (process.env.BL_REACTOR_DIR) {
      file = path.join(process.env.BL_REACTOR_DIR, `${name}.wasm`);
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bl-reactor-'));
      file = path.join(dir, `${name}.wasm`);
      execFileSync('go', ['build', '-buildmode=c-shared', '-o', file, `./testdata/${name}`], {
        cwd: here,
        env: { ...process.env, GOOS: 'wasip1', GOARCH: 'wasm' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    }
    built.set(name, new WebAssembly.Module(fs.readFileSync(file)));
  }
  return built.get(name);
}

/** FakeHandle behaves like a FileSystemSyncAccessHandle over a FakeDirectory file. */
class FakeHandle {
  constructor(dir, name) {
    this.dir = dir;
    this.name = name;
    this.file = dir.files.get(name);
    this.closed = false;
  }

  check() {
    if (this.closed) throw new DOMException('handle is closed', 'InvalidStateError');
  }

  resize(size) {
    const f = this.file;
    if (size > f.size && this.dir.used() + (size - f.size) > this.dir.quota) {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    }
    if (size > f.bytes.length) {
      const b = new Uint8Array(Math.max(size, f.bytes.length * 2));
      b.set(f.bytes.subarray(0, f.size));
      f.bytes = b;
    } else if (size < f.size) {
      f.bytes.fill(0, size, f.size);
    }
    f.size = size;
  }

  read(buf, { at = 0 } = {}) {
    this.check();
    const f = this.file;
    if (at >= f.size) return 0;
    const n = Math.min(buf.length, f.size - at);
    buf.set(f.bytes.subarray(at, at + n));
    return n;
  }

  write(buf, { at = 0 } = {}) {
    this.check();
    if (at + buf.length > this.file.size) this.resize(at + buf.length);
    this.file.bytes.set(buf, at);
    this.dir.writes++;
    return buf.length;
  }

  truncate(size) {
    this.check();
    this.resize(size);
  }

  getSize() {
    this.check();
    return this.file.size;
  }

  flush() {
    this.check();
    this.dir.flushes++;
  }

  close() {
    this.closed = true;
    this.dir.open_.delete(this.name);
  }
}

/**
 * FakeDirectory is an OPFS directory in memory with a byte quota; like OPFS,
 * a file has one sync handle at a time. It outlives pools, so a test can
 * "reload the page" by opening a new pool on it.
 */
export class FakeDirectory {
  constructor({ quota = Infinity, failOpenAfter = Infinity } = {}) {
    this.files = new Map();
    this.open_ = new Set();
    this.quota = quota;
    this.failOpenAfter = failOpenAfter;
    this.opens = 0;
    this.writes = 0;
    this.flushes = 0;
  }

  used() {
    let n = 0;
    for (const f of this.files.values()) n += f.size;
    return n;
  }

  async names() {
    return [...this.files.keys()];
  }

  async open(name) {
    if (this.opens >= this.failOpenAfter) throw new DOMException('quota exceeded', 'QuotaExceededError');
    if (this.open_.has(name)) throw new DOMException(`${name} is locked`, 'NoModificationAllowedError');
    this.opens++;
    if (!this.files.has(name)) this.files.set(name, { bytes: new Uint8Array(0), size: 0 });
    this.open_.add(name);
    return new FakeHandle(this, name);
  }

  /** bytes returns a copy of a file's content (for checking the layout). */
  bytes(name) {
    const f = this.files.get(name);
    return f.bytes.slice(0, f.size);
  }

  /** closeAll drops every handle, as closing the tab does. */
  closeAll() {
    this.open_.clear();
  }
}

/** Guest is a bare WebAssembly.Memory with a bump allocator, for calling WASI functions directly. */
export class Guest {
  constructor(wasi) {
    this.wasi = wasi;
    wasi.memory = new WebAssembly.Memory({ initial: 2 });
    this.next = 1024;
  }

  get view() {
    return new DataView(this.wasi.memory.buffer);
  }

  alloc(n) {
    const p = this.next;
    this.next += (n + 7) & ~7;
    return p;
  }

  /** str copies a string into memory: [ptr, len]. */
  str(s) {
    const b = new TextEncoder().encode(s);
    const p = this.alloc(b.length);
    new Uint8Array(this.wasi.memory.buffer, p, b.length).set(b);
    return [p, b.length];
  }

  /** iov builds an iovec array over buffers of the given contents or sizes. */
  iov(...parts) {
    const vec = this.alloc(parts.length * 8);
    const bufs = [];
    parts.forEach((part, i) => {
      const b = typeof part === 'number' ? new Uint8Array(part) : new TextEncoder().encode(part);
      const p = this.alloc(b.length);
      new Uint8Array(this.wasi.memory.buffer, p, b.length).set(b);
      this.view.setUint32(vec + i * 8, p, true);
      this.view.setUint32(vec + i * 8 + 4, b.length, true);
      bufs.push([p, b.length]);
    });
    return { vec, count: parts.length, bufs };
  }

  text(p, n) {
    return new TextDecoder().decode(new Uint8Array(this.wasi.memory.buffer, p, n));
  }

  u32(p) {
    return this.view.getUint32(p, true);
  }

  u64(p) {
    return this.view.getBigUint64(p, true);
  }

  call(name, ...args) {
    return this.wasi.wasiImport[name](...args);
  }

  /** open opens path under the preopen (fd 3); returns [errno, fd]. */
  open(path, { oflags = 0, rights = 0x1fffffffn, fdflags = 0 } = {}) {
    const [p, n] = this.str(path);
    const out = this.alloc(4);
    const errno = this.call('path_open', 3, 1, p, n, oflags, rights, 0x1fffffffn, fdflags, out);
    return [errno, this.u32(out)];
  }
}
