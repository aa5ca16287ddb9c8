// opfs-pool.js — /data on the Origin Private File System. Opening an OPFS
// file is asynchronous and the guest's file calls are synchronous, so, like
// SQLite's opfs-sahpool VFS, we open a pool of files ("slots") ahead of time
// and hand them out as the engine creates files. Each slot file starts with
// a 4 KiB header naming the path it holds (with a checksum, so a torn header
// reads as a free slot); the file's bytes follow. Directories are kept as a
// list in one more file, dirs.bin. The pool grows between engine calls; a
// file created when no pooled file is free lives in memory until the end of
// that call, when it gets its OPFS file (so a burst of creates never fails,
// but those few bytes are not durable until the call returns).
//
// openStorage() also takes the store's Web Lock (one tab owns the store) and
// falls back to memory, with the reason, when any of that is impossible.

import { ERRNO, WasiError, toErrno } from './errno.js';
import { MemoryStore, Volume } from './volume.js';

export const HEADER = 4096;
const MAGIC = 0x31534c42; // "BLS1"
const DIRS_MAGIC = 0x31444c42; // "BLD1"
const SLOT_NAME = /^slot-(\d{5})\.bin$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

function checksum(fields, payload) {
  return (fnv1a(fields) ^ fnv1a(payload)) >>> 0;
}

// record encodes [magic][flags][len][checksum][payload]; the checksum covers
// flags, len and payload.
function record(magic, flags, payload) {
  const buf = new Uint8Array(16 + payload.length);
  const v = new DataView(buf.buffer);
  v.setUint32(0, magic, true);
  v.setUint32(4, flags, true);
  v.setUint32(8, payload.length, true);
  buf.set(payload, 16);
  v.setUint32(12, checksum(buf.subarray(4, 12), payload), true);
  return buf;
}

// readRecord returns the payload of a valid record at the start of handle, or null.
function readRecord(handle, magic, limit) {
  const head = new Uint8Array(16);
  if (handle.read(head, { at: 0 }) < 16) return null;
  const v = new DataView(head.buffer);
  const len = v.getUint32(8, true);
  if (v.getUint32(0, true) !== magic || v.getUint32(4, true) !== 1 || len > limit) return null;
  const payload = new Uint8Array(len);
  if (handle.read(payload, { at: 16 }) < len) return null;
  if (checksum(head.subarray(4, 12), payload) !== v.getUint32(12, true)) return null;
  return payload;
}

function slotName(i) {
  return `slot-${String(i).padStart(5, '0')}.bin`;
}

// wrap maps a storage exception (QuotaExceededError above all) to a WasiError.
function wrap(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WasiError) throw e;
    throw new WasiError(toErrno(e), `opfs: ${e && e.name}: ${e && e.message}`);
  }
}

/** MemoryHandle stands in for a sync access handle until a slot has its file. */
class MemoryHandle {
  constructor() {
    this.bytes = new Uint8Array(HEADER);
    this.size = 0;
  }

  read(buf, { at }) {
    const n = Math.max(0, Math.min(buf.length, this.size - at));
    buf.set(this.bytes.subarray(at, at + n));
    return n;
  }

  write(buf, { at }) {
    this.truncate(Math.max(this.size, at + buf.length));
    this.bytes.set(buf, at);
    return buf.length;
  }

  truncate(size) {
    if (size > this.bytes.length) {
      const b = new Uint8Array(Math.max(size, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.size));
      this.bytes = b;
    } else if (size < this.size) {
      this.bytes.fill(0, size, this.size);
    }
    this.size = size;
  }

  getSize() {
    return this.size;
  }

  flush() {}

  close() {}
}

/**
 * OpfsPool is a Volume store over a directory of pre-opened sync access
 * handles. dir is {names(): Promise<string[]>, open(name): Promise<handle>}
 * where a handle has FileSystemSyncAccessHandle's read/write/truncate/
 * getSize/flush/close; OpfsDirectory adapts a real OPFS directory and the
 * tests use an in-memory one.
 */
export class OpfsPool {
  static async open(dir, { initial = 64, minFree = 32, grow = 32, max = 4096 } = {}) {
    const pool = new OpfsPool(dir, { minFree, grow, max });
    const names = (await dir.names()).filter((n) => SLOT_NAME.test(n)).sort();
    const handles = await Promise.all(names.map((n) => dir.open(n)));
    names.forEach((n, k) => pool.adopt(Number(SLOT_NAME.exec(n)[1]), handles[k]));
    pool.dirsHandle = await dir.open('dirs.bin');
    const dirs = readRecord(pool.dirsHandle, DIRS_MAGIC, 1 << 26);
    try {
      if (dirs) pool.dirs = JSON.parse(decoder.decode(dirs));
    } catch {
      pool.dirs = []; // directories holding files come back anyway (implied by the files' paths)
    }
    if (pool.total < initial) await pool.add(initial - pool.total);
    return pool;
  }

  constructor(dir, { minFree, grow, max }) {
    this.mode = 'opfs';
    this.dir = dir;
    this.minFree = minFree;
    this.grow = grow;
    this.max = max;
    this.maxPath = HEADER - 16;
    this.slots = []; // index -> {handle, path|null}
    this.dirs = [];
    this.dirsHandle = null;
    this.dirty = new Set(); // slots whose header is written but not flushed
    this.dirsDirty = false;
    /** Set when a claim found no free slot: the next ensureFree grows more. */
    this.exhausted = false;
    /** Slots whose bytes are still in memory (see claim). */
    this.pending = new Set();
  }

  adopt(index, handle) {
    const payload = readRecord(handle, MAGIC, this.maxPath);
    this.slots[index] = { handle, path: payload ? decoder.decode(payload) : null };
  }

  /** add opens up to n more slot files, filling holes first; it stops quietly when storage refuses. */
  async add(n) {
    let added = 0;
    for (let i = 0; added < n && this.total < this.max; i++) {
      if (this.slots[i]) continue;
      try {
        const handle = await this.dir.open(slotName(i));
        handle.truncate(0);
        handle.truncate(HEADER);
        handle.flush();
        this.slots[i] = { handle, path: null };
        added++;
      } catch {
        break; // quota, most likely: keep what we have
      }
    }
    return added;
  }

  get free() {
    return this.slots.filter((s) => s && s.path === null).length;
  }

  get total() {
    return this.slots.filter(Boolean).length;
  }

  /**
   * ensureFree runs between calls: it gives pending slots their OPFS files,
   * then grows the pool when free slots run low (more after an exhaustion).
   */
  async ensureFree() {
    await this.materialize();
    const want = this.exhausted ? this.minFree + this.total : this.minFree;
    this.exhausted = false;
    while (this.free < want && this.total < this.max) {
      if ((await this.add(Math.min(this.grow, this.max - this.total))) === 0) break;
    }
  }

  // materialize copies each in-memory slot into its own OPFS file; on a
  // storage error the slot stays in memory and is tried again next time.
  async materialize() {
    for (const i of [...this.pending].sort((a, b) => a - b)) {
      const mem = this.slots[i].handle;
      let handle;
      try {
        handle = await this.dir.open(slotName(i));
        handle.truncate(0);
        handle.write(mem.bytes.subarray(0, mem.getSize()), { at: 0 });
        handle.flush();
      } catch {
        if (handle) handle.close();
        return;
      }
      this.slots[i].handle = handle;
      this.pending.delete(i);
      this.dirty.delete(i);
    }
  }

  // --- the Volume store interface -------------------------------------------

  entries() {
    const out = [];
    this.slots.forEach((s, slot) => {
      if (s && s.path !== null) out.push({ slot, path: s.path });
    });
    return out;
  }

  savedDirs() {
    return this.dirs;
  }

  slot(i) {
    const s = this.slots[i];
    if (!s || s.path === null) throw new WasiError(ERRNO.BADF, `opfs: slot ${i} is free`);
    return s;
  }

  writeHeader(i, path) {
    const s = this.slots[i];
    const rec = path === null ? new Uint8Array(16) : record(MAGIC, 1, encoder.encode(path));
    wrap(() => s.handle.write(rec, { at: 0 }));
    s.path = path;
    this.dirty.add(i);
  }

  claim(path) {
    let i = this.slots.findIndex((s) => s && s.path === null);
    if (i < 0) {
      if (this.total >= this.max) throw new WasiError(ERRNO.NOSPC, `opfs: the pool is full (${this.max} files)`);
      // No pre-opened file is free, and opening one is async: keep this
      // file's bytes in memory until ensureFree runs after the call.
      i = 0;
      while (this.slots[i]) i++;
      this.slots[i] = { handle: new MemoryHandle(), path: null };
      this.pending.add(i);
      this.exhausted = true;
    }
    wrap(() => this.slots[i].handle.truncate(HEADER));
    this.writeHeader(i, path);
    return i;
  }

  release(i) {
    this.slot(i);
    this.writeHeader(i, null);
    wrap(() => this.slots[i].handle.truncate(HEADER));
  }

  rename(i, path) {
    this.slot(i);
    this.writeHeader(i, path);
  }

  read(i, dst, at) {
    return wrap(() => this.slot(i).handle.read(dst, { at: HEADER + at }));
  }

  write(i, src, at) {
    return wrap(() => this.slot(i).handle.write(src, { at: HEADER + at }));
  }

  size(i) {
    return wrap(() => this.slot(i).handle.getSize()) - HEADER;
  }

  truncate(i, size) {
    wrap(() => this.slot(i).handle.truncate(HEADER + size));
  }

  flush(i) {
    wrap(() => this.slot(i).handle.flush());
    this.dirty.delete(i);
  }

  saveDirs(dirs) {
    const rec = record(DIRS_MAGIC, 1, encoder.encode(JSON.stringify(dirs)));
    wrap(() => {
      this.dirsHandle.write(rec, { at: 0 });
      this.dirsHandle.truncate(rec.length);
    });
    this.dirs = dirs;
    this.dirsDirty = true;
  }

  /** flushMeta makes created, renamed and removed names durable (like fsync of a directory). */
  flushMeta() {
    for (const i of this.dirty) wrap(() => this.slots[i].handle.flush());
    this.dirty.clear();
    if (this.dirsDirty) wrap(() => this.dirsHandle.flush());
    this.dirsDirty = false;
  }

  close() {
    for (const s of this.slots) if (s) s.handle.close();
    if (this.dirsHandle) this.dirsHandle.close();
    this.slots = [];
  }
}

/** OpfsDirectory adapts a FileSystemDirectoryHandle to what OpfsPool needs. */
export class OpfsDirectory {
  constructor(handle) {
    this.handle = handle;
  }

  async names() {
    const out = [];
    for await (const [name, h] of this.handle.entries()) if (h.kind === 'file') out.push(name);
    return out;
  }

  async open(name) {
    const fh = await this.handle.getFileHandle(name, { create: true });
    return fh.createSyncAccessHandle();
  }
}

/** memoryStorage is the fallback: files live as long as the worker. */
export function memoryStorage(reason) {
  return { mode: 'memory', reason, volume: new Volume(new MemoryStore()), afterCall: null };
}

// holdLock takes the named Web Lock and keeps it for the life of the worker.
// If another tab has it, it waits up to waitMs (a reloading tab's old worker
// may still be letting go) and then resolves to false.
async function holdLock(name, waitMs) {
  const take = (options) =>
    new Promise((resolve, reject) => {
      navigator.locks
        .request(name, options, (lock) => {
          resolve(lock !== null);
          return lock === null ? undefined : new Promise(() => {});
        })
        .catch((e) => (e && (e.name === 'AbortError' || e.name === 'TimeoutError') ? resolve(false) : reject(e)));
    });
  if (await take({ ifAvailable: true })) return true;
  return take({ signal: AbortSignal.timeout(waitMs) });
}

/**
 * openStorage returns {mode: "opfs"|"memory", reason, volume, afterCall}.
 * Must run in a dedicated worker (sync access handles exist only there).
 */
export async function openStorage({ dirName = 'brokerlab', lockName = 'brokerlab-store', lockWaitMs = 1500, pool = {} } = {}) {
  const nav = globalThis.navigator;
  if (!nav || !nav.storage || typeof nav.storage.getDirectory !== 'function') {
    return memoryStorage('this browser has no Origin Private File System');
  }
  if (typeof FileSystemFileHandle === 'undefined' || !('createSyncAccessHandle' in FileSystemFileHandle.prototype)) {
    return memoryStorage('this browser cannot write OPFS files synchronously');
  }
  try {
    if (nav.locks && !(await holdLock(lockName, lockWaitMs))) {
      return memoryStorage('another tab owns the store');
    }
    const root = await nav.storage.getDirectory();
    const dir = await root.getDirectoryHandle(dirName, { create: true });
    const opfs = await OpfsPool.open(new OpfsDirectory(dir), pool);
    return { mode: 'opfs', reason: null, volume: new Volume(opfs), pool: opfs, afterCall: () => opfs.ensureFree() };
  } catch (e) {
    const why = e && e.name === 'NoModificationAllowedError' ? 'another tab owns the store' : `${e && e.name}: ${e && e.message}`;
    return memoryStorage(`OPFS could not be opened (${why})`);
  }
}
