// volume.js — the file tree behind the WASI preopen "/data": POSIX-style
// files and directories kept in memory as a path map, with file bytes held by
// a slot store (MemoryStore here, OpfsPool in opfs-pool.js). Everything is
// synchronous, because the guest calls in synchronously.
//
// A store holds numbered slots, each the bytes of one file plus the path it
// belongs to, and a list of directories:
//   entries() -> [{slot, path}]        files that survived from an earlier run
//   savedDirs() -> [path]              directories that survived
//   claim(path) -> slot                a fresh empty slot (throws ENOSPC when none)
//   release(slot), rename(slot, path)
//   read(slot, dst, at) -> n, write(slot, src, at) -> n, size(slot), truncate(slot, n)
//   flush(slot), saveDirs(list), flushMeta()   list() -> [path], sorted
//   maxPath                            longest path (in UTF-8 bytes) it can record

import { ERRNO, WasiError } from './errno.js';

const MAX_NAME = 255;
const encoder = new TextEncoder();

/**
 * resolvePath joins a relative WASI path onto base (both relative to the
 * volume root, "" being the root) and normalises "." and "..". Climbing above
 * the root or an absolute path is ENOTCAPABLE, as in other WASI hosts.
 */
export function resolvePath(base, rel) {
  if (rel.startsWith('/')) throw new WasiError(ERRNO.NOTCAPABLE, `absolute path ${rel}`);
  if (rel.includes('\0')) throw new WasiError(ERRNO.INVAL, 'NUL in path');
  const parts = base === '' ? [] : base.split('/');
  for (const c of rel.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (parts.length === 0) throw new WasiError(ERRNO.NOTCAPABLE, `${rel} leaves the preopen`);
      parts.pop();
      continue;
    }
    // A UTF-16 unit takes at most 3 UTF-8 bytes: only long names need encoding.
    if (c.length * 3 > MAX_NAME && encoder.encode(c).length > MAX_NAME) throw new WasiError(ERRNO.NAMETOOLONG);
    parts.push(c);
  }
  return parts.join('/');
}

function parentOf(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseOf(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

function byName(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Volume is the file tree. Nodes are {type, path, ino, slot, opens, unlinked}. */
export class Volume {
  constructor(store) {
    this.store = store;
    this.nodes = new Map(); // path -> node
    this.children = new Map(); // dir path -> Set of child names
    this.nextIno = 1;
    /** Problems found while loading (torn or clashing entries), for the UI. */
    this.recovered = [];
    this.addNode({ type: 'dir', path: '' });
    this.load();
  }

  get mode() {
    return this.store.mode;
  }

  load() {
    for (const dir of [...this.store.savedDirs()].sort(byName)) {
      this.impliedDirs(dir);
    }
    const entries = [...this.store.entries()].sort((a, b) => byName(a.path, b.path) || a.slot - b.slot);
    for (const { slot, path } of entries) {
      const clash = this.nodes.has(path) || !this.impliedDirs(parentOf(path));
      if (clash) {
        this.recovered.push(`dropped ${path} (slot ${slot}): clashes with another entry`);
        this.store.release(slot);
        continue;
      }
      this.addNode({ type: 'file', path, slot });
    }
  }

  // impliedDirs makes sure path and every directory on the way to it exist,
  // creating missing ones; false when a file is in the way.
  impliedDirs(path) {
    if (path === '') return true;
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      const n = this.nodes.get(p);
      if (n && n.type !== 'dir') return false;
      if (!n) this.addNode({ type: 'dir', path: p });
    }
    return true;
  }

  addNode(fields) {
    const node = { type: fields.type, path: fields.path, slot: fields.slot ?? -1, ino: this.nextIno++, opens: 0, unlinked: false };
    this.nodes.set(node.path, node);
    if (node.type === 'dir') this.children.set(node.path, new Set());
    if (node.path !== '') this.children.get(parentOf(node.path)).add(baseOf(node.path));
    return node;
  }

  dropNode(node) {
    this.nodes.delete(node.path);
    this.children.get(parentOf(node.path)).delete(baseOf(node.path));
    if (node.type === 'dir') this.children.delete(node.path);
  }

  // parentDir returns the directory that would hold path, or throws ENOENT or
  // ENOTDIR as POSIX would for the first missing or non-directory component.
  parentDir(path) {
    const parent = parentOf(path);
    const n = this.nodes.get(parent);
    if (n && n.type === 'dir') return n;
    this.lookup(parent); // throws the right error
    throw new WasiError(ERRNO.NOTDIR);
  }

  /** lookup returns the node at path or throws ENOENT / ENOTDIR. */
  lookup(path) {
    const n = this.nodes.get(path);
    if (n) return n;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const a = this.nodes.get(parts.slice(0, i).join('/'));
      if (!a) break;
      if (a.type !== 'dir') throw new WasiError(ERRNO.NOTDIR, `${a.path} is a file`);
    }
    throw new WasiError(ERRNO.NOENT, `${path}: no such file or directory`);
  }

  checkLength(path) {
    if (encoder.encode(path).length > this.store.maxPath) throw new WasiError(ERRNO.NAMETOOLONG);
  }

  /** stat returns {type, size, ino}. */
  stat(path) {
    const n = this.lookup(path);
    return { type: n.type, ino: n.ino, size: n.type === 'file' ? this.store.size(n.slot) : 0 };
  }

  /** openFile opens (and with create, makes) a regular file; close it with close(). */
  openFile(path, { create = false, excl = false, trunc = false } = {}) {
    let n = this.nodes.get(path);
    if (n) {
      if (create && excl) throw new WasiError(ERRNO.EXIST);
      if (n.type === 'dir') throw new WasiError(ERRNO.ISDIR);
      if (trunc) this.store.truncate(n.slot, 0);
    } else {
      if (path === '') throw new WasiError(ERRNO.ISDIR);
      this.parentDir(path);
      if (!create) throw new WasiError(ERRNO.NOENT, `${path}: no such file`);
      this.checkLength(path);
      n = this.addNode({ type: 'file', path, slot: this.store.claim(path) });
    }
    n.opens++;
    return n;
  }

  /** close drops one open reference; an unlinked file's bytes go with the last. */
  close(node) {
    if (node.type !== 'file') return;
    node.opens--;
    if (node.opens === 0 && node.unlinked) this.store.release(node.slot);
  }

  read(node, dst, at) {
    return this.store.read(node.slot, dst, at);
  }

  write(node, src, at) {
    return this.store.write(node.slot, src, at);
  }

  size(node) {
    return this.store.size(node.slot);
  }

  truncate(node, size) {
    this.store.truncate(node.slot, size);
  }

  /** sync makes the node's bytes and all pending metadata durable. */
  sync(node) {
    if (node && node.type === 'file' && !node.unlinked) this.store.flush(node.slot);
    this.store.flushMeta();
  }

  mkdir(path) {
    if (this.nodes.has(path)) throw new WasiError(ERRNO.EXIST);
    this.parentDir(path);
    this.checkLength(path);
    this.addNode({ type: 'dir', path });
    this.saveDirs();
  }

  rmdir(path) {
    if (path === '') throw new WasiError(ERRNO.BUSY, 'cannot remove the preopen');
    const n = this.lookup(path);
    if (n.type !== 'dir') throw new WasiError(ERRNO.NOTDIR);
    if (this.children.get(path).size > 0) throw new WasiError(ERRNO.NOTEMPTY);
    this.dropNode(n);
    this.saveDirs();
  }

  unlink(path) {
    const n = this.lookup(path);
    if (n.type === 'dir') throw new WasiError(ERRNO.ISDIR);
    this.dropNode(n);
    if (n.opens > 0) n.unlinked = true;
    else this.store.release(n.slot);
  }

  /** rename moves a file or a directory (with everything under it). */
  rename(from, to) {
    const src = this.lookup(from);
    if (from === '' || to === '') throw new WasiError(ERRNO.BUSY);
    this.parentDir(to);
    if (from === to) return;
    if (to.startsWith(from + '/')) throw new WasiError(ERRNO.INVAL, 'cannot move a directory into itself');
    this.checkLength(to);
    const dst = this.nodes.get(to);
    if (dst) {
      if (src.type === 'file' && dst.type === 'dir') throw new WasiError(ERRNO.ISDIR);
      if (src.type === 'dir' && dst.type !== 'dir') throw new WasiError(ERRNO.NOTDIR);
      if (dst.type === 'dir') this.rmdir(to);
      else this.unlink(to);
    }
    const moving = [src];
    if (src.type === 'dir') {
      for (const [p, n] of this.nodes) if (p.startsWith(from + '/')) moving.push(n);
    }
    for (const n of moving) {
      if (n.path !== '' && encoder.encode(to + n.path.slice(from.length)).length > this.store.maxPath) {
        throw new WasiError(ERRNO.NAMETOOLONG);
      }
    }
    // Shallow first, so each node's new parent exists when it is re-added.
    moving.sort((a, b) => a.path.length - b.path.length);
    this.children.get(parentOf(from)).delete(baseOf(from));
    for (const n of moving) {
      this.nodes.delete(n.path);
      this.children.delete(n.path);
    }
    for (const n of moving) {
      n.path = to + n.path.slice(from.length);
      this.nodes.set(n.path, n);
      if (n.type === 'dir') this.children.set(n.path, new Set());
      this.children.get(parentOf(n.path)).add(baseOf(n.path));
      if (n.type === 'file') this.store.rename(n.slot, n.path);
    }
    if (src.type === 'dir') this.saveDirs();
  }

  /** list returns the entries of a directory, sorted by name. */
  list(path) {
    const n = this.lookup(path);
    if (n.type !== 'dir') throw new WasiError(ERRNO.NOTDIR);
    return [...this.children.get(path)].sort(byName).map((name) => {
      const c = this.nodes.get(path === '' ? name : `${path}/${name}`);
      return { name, type: c.type, ino: c.ino };
    });
  }

  // saveDirs tells the store the directories changed; it lists them when
  // it writes them (once per call at most: see OpfsPool.saveDirs).
  saveDirs() {
    this.store.saveDirs(() => {
      const dirs = [];
      for (const [p, n] of this.nodes) if (n.type === 'dir' && p !== '') dirs.push(p);
      return dirs.sort(byName);
    });
  }
}

/**
 * MemoryStore keeps slots in memory: the fallback when OPFS is unavailable
 * and the backend of the shim's tests. quota (bytes of file data, default
 * unlimited) makes writes past it fail with ENOSPC, like a full disk.
 */
export class MemoryStore {
  constructor({ quota = Infinity } = {}) {
    this.mode = 'memory';
    this.quota = quota;
    this.used = 0;
    this.files = new Map();
    this.nextSlot = 0;
    this.maxPath = 4096;
  }

  entries() {
    return [];
  }

  savedDirs() {
    return [];
  }

  claim() {
    const slot = this.nextSlot++;
    this.files.set(slot, { data: new Uint8Array(0), size: 0 });
    return slot;
  }

  release(slot) {
    const f = this.files.get(slot);
    if (!f) return;
    this.used -= f.size;
    this.files.delete(slot);
  }

  rename() {}

  file(slot) {
    const f = this.files.get(slot);
    if (!f) throw new WasiError(ERRNO.BADF, `slot ${slot} is free`);
    return f;
  }

  read(slot, dst, at) {
    const f = this.file(slot);
    if (at >= f.size) return 0;
    const n = Math.min(dst.length, f.size - at);
    dst.set(f.data.subarray(at, at + n));
    return n;
  }

  write(slot, src, at) {
    const f = this.file(slot);
    this.resize(f, Math.max(f.size, at + src.length));
    f.data.set(src, at);
    return src.length;
  }

  size(slot) {
    return this.file(slot).size;
  }

  truncate(slot, size) {
    this.resize(this.file(slot), size);
  }

  // resize changes a file's size, checking the quota before touching anything.
  resize(f, size) {
    const grow = size - f.size;
    if (grow > 0 && this.used + grow > this.quota) throw new WasiError(ERRNO.NOSPC, 'memory store quota exceeded');
    if (size > f.data.length) {
      const data = new Uint8Array(Math.max(size, f.data.length * 2, 64));
      data.set(f.data.subarray(0, f.size));
      f.data = data;
    } else if (size < f.size) {
      f.data.fill(0, size, f.size); // a later extension must read zeros
    }
    this.used += grow;
    f.size = size;
  }

  flush() {}

  saveDirs() {}

  flushMeta() {}
}
