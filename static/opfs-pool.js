// opfs-pool.js — /data on the Origin Private File System. Opening an OPFS
// file is asynchronous and the guest's file calls are synchronous, so, like
// SQLite's opfs-sahpool VFS, we open a pool of files ("slots") ahead of time
// and hand them out as the engine creates files. Each slot file starts with
// a 4 KiB header naming the path it holds (with a checksum, so a torn,
// zeroed or missing header reads as a free slot); the file's bytes follow.
// Directories are kept as a list in one more file, dirs.bin. A file created
// when no pooled file is free lives in memory until the end of that call,
// when it gets its OPFS file (so a burst of creates never fails, but those
// few bytes are not on OPFS until the call returns). Between calls the pool
// also grows; that only opens free slot files (never flushed: a free slot
// has nothing to make durable), so it goes on in the background while the
// next calls run.
//
// What each OPFS call costs in Chromium's worker (measured 2026-12-07):
// opening a file (getFileHandle + createSyncAccessHandle) ~2 ms, flush ~1.5
// ms, truncate ~0.2 ms, a write of up to 64 KiB 0.01–0.06 ms but ~0.5 ms when
// it grows the file past its capacity (a synchronous request to the browser,
// for 1 MiB, then doubling), getSize and a header read ~0.005 ms. So the
// pool opens files and has them granted their first MiB off the guest's
// path, writes where it could truncate, and flushes only what the guest
// syncs.
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
const ZERO_HEADER = new Uint8Array(HEADER);
/** RESERVED holds a slot index while its file is being opened. */
const RESERVED = Object.freeze({ handle: null, path: null });

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
    this.flushed = false;
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

  flush() {
    this.flushed = true; // the guest synced it: its OPFS file is flushed when made
  }

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
  /**
   * open adopts the slot files dir holds and makes up to initial slots in
   * all before it resolves. Afterwards (see afterCall, which the storage
   * runs at once) the pool grows in the background to at least target
   * slots (a 3-broker sandbox with a consumer group starts ~175 files in its
   * first second) with minFree free ones (more after a burst overflowed into
   * memory), never more than max.
   */
  static async open(dir, { initial = 64, target = 224, minFree = 32, grow = 32, max = 4096 } = {}) {
    const pool = new OpfsPool(dir, { target: Math.max(initial, target), minFree, grow, max });
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

  constructor(dir, { target, minFree, grow, max }) {
    this.mode = 'opfs';
    this.dir = dir;
    this.target = target;
    this.minFree = minFree;
    this.grow = grow;
    this.max = max;
    this.maxPath = HEADER - 16;
    this.slots = []; // index -> {handle, path|null}
    this.dirs = [];
    this.dirsHandle = null;
    this.dirty = new Set(); // slots whose header is written but not flushed
    this.dirsChanged = false; // this.dirs is newer than dirs.bin
    this.dirsDirty = false; // dirs.bin is written but not flushed
    /** Set when a claim found no free slot: the next ensureFree grows more. */
    this.exhausted = false;
    /** Slots whose bytes are still in memory (see claim). */
    this.pending = new Set();
    /** The background growth under way (see afterCall), or null. */
    this.growing = null;
    this.closed = false;
  }

  adopt(index, handle) {
    const payload = readRecord(handle, MAGIC, this.maxPath);
    this.slots[index] = { handle, path: payload ? decoder.decode(payload) : null };
  }

  /**
   * add opens up to n more slot files at once, filling holes first; a file
   * storage refuses (quota, most likely) is skipped quietly. It resolves to
   * how many it added. A new slot is a zeroed header, never flushed: a
   * zeroed, lost or torn slot file reads as free, so there is nothing to
   * make durable. Writing the header now is what makes the browser grant
   * the file its first MiB of capacity, a synchronous request that would
   * otherwise fall on the claim inside an engine call (~1.5 ms each on a
   * loaded box; a cluster's start claims ~175 slots).
   */
  async add(n) {
    const want = [];
    for (let i = 0; want.length < n && this.total < this.max; i++) {
      if (this.slots[i]) continue;
      this.slots[i] = RESERVED; // counted in total, never handed out
      want.push(i);
    }
    const opened = await Promise.allSettled(want.map((i) => this.dir.open(slotName(i))));
    let added = 0;
    opened.forEach((r, k) => {
      const i = want[k];
      const handle = r.status === 'fulfilled' ? r.value : null;
      if (handle && !this.closed) {
        try {
          if (handle.getSize() !== 0) handle.truncate(0); // a file left by a failed materialize
          handle.write(ZERO_HEADER, { at: 0 }); // the browser grants 1 MiB of capacity now, not at claim
          this.slots[i] = { handle, path: null };
          added++;
          return;
        } catch {
          // quota: give the index back below
        }
      }
      if (handle) handle.close();
      if (this.slots[i] === RESERVED) this.slots[i] = undefined;
    });
    return added;
  }

  get free() {
    return this.slots.filter((s) => s && s.handle && s.path === null).length;
  }

  get total() {
    return this.slots.filter(Boolean).length;
  }

  /**
   * ensureFree gives pending slots their OPFS files, then grows the pool
   * (see open); it resolves when both are done.
   */
  async ensureFree() {
    await this.materialize();
    await this.topUp();
  }

  /**
   * afterCall runs between engine calls: dirs.bin is written if it changed
   * and the slots that waited in memory get their OPFS files before the
   * next call, as they always did; growing the pool, which only opens free
   * files, starts in the background and does not hold the next call up.
   */
  async afterCall() {
    wrap(() => this.writeDirs());
    if (this.pending.size > 0) await this.materialize();
    if (!this.growing) this.growing = this.topUp().finally(() => (this.growing = null));
  }

  // topUp opens files until the pool has target slots and minFree free
  // ones (grow more after an exhaustion), or storage refuses.
  async topUp() {
    const extra = this.exhausted ? this.grow : 0;
    this.exhausted = false;
    for (;;) {
      const free = this.free;
      const want = Math.max(this.minFree + extra - free, this.target - this.total);
      if (want <= 0 || this.total >= this.max) return;
      if ((await this.add(Math.min(want, this.max - this.total))) === 0) return;
    }
  }

  // materialize copies each in-memory slot into its own OPFS file (opened
  // all at once), flushing it if the guest synced it meanwhile; a slot whose
  // file storage refuses stays in memory and is tried again next time.
  async materialize() {
    const ids = [...this.pending].sort((a, b) => a - b);
    if (ids.length === 0) return;
    const opened = await Promise.allSettled(ids.map((i) => this.dir.open(slotName(i))));
    opened.forEach((r, k) => {
      if (r.status !== 'fulfilled') return;
      const i = ids[k];
      const handle = r.value;
      const mem = this.slots[i] && this.slots[i].handle;
      if (this.closed || !this.pending.has(i) || !(mem instanceof MemoryHandle)) {
        handle.close();
        return;
      }
      try {
        if (handle.getSize() !== 0) handle.truncate(0);
        handle.write(mem.bytes.subarray(0, mem.getSize()), { at: 0 });
        if (mem.flushed) handle.flush();
      } catch {
        handle.close();
        return;
      }
      this.slots[i].handle = handle;
      this.pending.delete(i);
      if (mem.flushed) this.dirty.delete(i); // else its header waits for flushMeta like any other
    });
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

  // writeHeader names the slot's path (null: free). A file shorter than
  // the header (a memory slot, or a slot file cut short) gets the whole
  // header in the same write.
  writeHeader(i, path) {
    const s = this.slots[i];
    let rec = path === null ? new Uint8Array(16) : record(MAGIC, 1, encoder.encode(path));
    wrap(() => {
      if (s.handle.getSize() < HEADER) {
        const whole = new Uint8Array(HEADER);
        whole.set(rec);
        rec = whole;
      }
      s.handle.write(rec, { at: 0 });
    });
    s.path = path;
    this.dirty.add(i);
  }

  claim(path) {
    let i = this.slots.findIndex((s) => s && s.handle && s.path === null);
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
    // A free slot holds no bytes past its header, but for a torn one
    // found at open: cut only that.
    const h = this.slots[i].handle;
    wrap(() => {
      if (h.getSize() > HEADER) h.truncate(HEADER);
    });
    this.writeHeader(i, path);
    return i;
  }

  release(i) {
    this.slot(i);
    this.writeHeader(i, null);
    const h = this.slots[i].handle;
    wrap(() => {
      if (h.getSize() > HEADER) h.truncate(HEADER);
    });
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

  // saveDirs learns that the directories changed (list() lists them);
  // dirs.bin is rewritten once, at the end of the call (afterCall) or at the
  // next sync, whichever comes first (a cluster's start makes a directory
  // per partition: ~170 in a row).
  saveDirs(list) {
    this.dirsList = list;
    this.dirsChanged = true;
  }

  writeDirs() {
    if (!this.dirsChanged || !this.dirsHandle) return;
    this.dirs = this.dirsList();
    const rec = record(DIRS_MAGIC, 1, encoder.encode(JSON.stringify(this.dirs)));
    this.dirsHandle.write(rec, { at: 0 });
    if (this.dirsHandle.getSize() > rec.length) this.dirsHandle.truncate(rec.length);
    this.dirsChanged = false;
    this.dirsDirty = true;
  }

  /** flushMeta makes created, renamed and removed names durable (like fsync of a directory). */
  flushMeta() {
    wrap(() => this.writeDirs());
    for (const i of this.dirty) wrap(() => this.slots[i].handle.flush());
    this.dirty.clear();
    if (this.dirsDirty) wrap(() => this.dirsHandle.flush());
    this.dirsDirty = false;
  }

  close() {
    try {
      this.writeDirs();
    } catch {
      // closing anyway: the directories holding files come back implied
    }
    for (const s of this.slots) if (s && s.handle) s.handle.close();
    if (this.dirsHandle) this.dirsHandle.close();
    this.slots = [];
    this.closed = true;
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
    const volume = new Volume(opfs);
    // Grow to the target in the background: a learner's first call comes
    // long after that ended. A call made sooner (a benchmark's) that starts
    // a cluster sends the files past the free slots through memory slots,
    // which get their files before the next call.
    opfs.afterCall().catch(() => {});
    return { mode: 'opfs', reason: null, volume, pool: opfs, afterCall: () => opfs.afterCall() };
  } catch (e) {
    const why = e && e.name === 'NoModificationAllowedError' ? 'another tab owns the store' : `${e && e.name}: ${e && e.message}`;
    return memoryStorage(`OPFS could not be opened (${why})`);
  }
}
