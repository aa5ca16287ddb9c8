// wasi.js — Brokerlab's own WASI preview1 host for engine.wasm, a Go wasip1
// reactor. It implements what Go's runtime and os package import (see
// WASI_FUNCTIONS) and answers any other import with ENOSYS. Deterministic on
// purpose: the clocks are fake (they start at fixed values and move 1 ms per
// reading, as wazero's fake clocks do, so a Go timer never spins), random_get
// is a seeded generator, and /data is a Volume (memory or OPFS) rather than
// anything of the machine's.

import { ERRNO, WasiError, toErrno } from './errno.js';
import { resolvePath } from './volume.js';

const MODULE = 'wasi_snapshot_preview1';
const FAKE_EPOCH_NS = 1640995200000000000n; // 2022-01-01T00:00:00Z, wazero's fake epoch
const TICK_NS = 1000000n;
const ALL_RIGHTS = 0x1fffffffn;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const FILETYPE = { CHAR: 2, DIR: 3, FILE: 4 };
const OFLAG = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const FDFLAG_APPEND = 1;

const encoder = new TextEncoder();

/** WASIExit is thrown by proc_exit; the host treats it as the instance ending. */
export class WASIExit extends Error {
  constructor(code) {
    super(`exit code ${code}`);
    this.name = 'WASIExit';
    this.code = code;
  }
}

/** lineWriter turns a byte stream into calls of sink(line), one per line. */
export function lineWriter(sink) {
  const decoder = new TextDecoder();
  let pending = '';
  return (bytes) => {
    pending += decoder.decode(bytes, { stream: true });
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      sink(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  };
}

/**
 * WASI is one guest's view of the world: arguments, environment, clocks and
 * its file descriptor table. Make one per instance; the Volume may outlive it.
 *
 *   const wasi = new WASI({ volume });
 *   const instance = new WebAssembly.Instance(module, wasi.importObject(module));
 *   wasi.initialize(instance);
 */
export class WASI {
  constructor({
    args = ['engine.wasm'],
    env = [],
    volume = null,
    preopen = '/data',
    seed = 0x5eed,
    stdout = lineWriter((l) => console.log(l)),
    stderr = lineWriter((l) => console.error(l)),
  } = {}) {
    this.args = args;
    this.env = env;
    this.volume = volume;
    this.stdout = stdout;
    this.stderr = stderr;
    this.memory = null;
    this.realtime = FAKE_EPOCH_NS - TICK_NS;
    this.monotonic = 0n;
    this.rng = seed >>> 0;
    /** Imports the module asked for that this shim does not implement. */
    this.stubbed = [];
    this.fds = new Map([
      [0, { kind: 'stdio', fd: 0 }],
      [1, { kind: 'stdio', fd: 1 }],
      [2, { kind: 'stdio', fd: 2 }],
    ]);
    if (volume && preopen) this.fds.set(3, { kind: 'dir', path: '', preopen });
    this.wasiImport = this.table();
  }

  /** importObject gives every import of module a function: ours or an ENOSYS stub. */
  importObject(module) {
    const imports = { [MODULE]: { ...this.wasiImport } };
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== 'function') continue;
      const ns = (imports[imp.module] ??= {});
      if (imp.name in ns) continue;
      ns[imp.name] = () => ERRNO.NOSYS;
      this.stubbed.push(`${imp.module}.${imp.name}`);
    }
    return imports;
  }

  /** initialize binds the instance's memory and runs the reactor's _initialize. */
  initialize(instance) {
    this.memory = instance.exports.memory;
    if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
  }

  /** dispose closes every file the guest left open (after a crash, say). */
  dispose() {
    for (const f of this.fds.values()) if (f.kind === 'file') this.volume.close(f.node);
    this.fds.clear();
  }

  // --- memory helpers -----------------------------------------------------

  view() {
    return new DataView(this.memory.buffer);
  }

  bytes(ptr, len) {
    return new Uint8Array(this.memory.buffer, ptr, len);
  }

  string(ptr, len) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(ptr, len));
    } catch {
      throw new WasiError(ERRNO.ILSEQ);
    }
  }

  iovecs(ptr, count) {
    const v = this.view();
    const out = [];
    for (let i = 0; i < count; i++) {
      out.push(this.bytes(v.getUint32(ptr + i * 8, true), v.getUint32(ptr + i * 8 + 4, true)));
    }
    return out;
  }

  fd(n, kind) {
    const f = this.fds.get(n);
    if (!f) throw new WasiError(ERRNO.BADF);
    if (kind && f.kind !== kind) {
      if (kind === 'dir') throw new WasiError(ERRNO.NOTDIR);
      throw new WasiError(f.kind === 'dir' ? ERRNO.ISDIR : ERRNO.BADF);
    }
    return f;
  }

  path(dirfd, ptr, len) {
    const dir = this.fd(dirfd, 'dir');
    return resolvePath(dir.path, this.string(ptr, len));
  }

  allocFd(entry) {
    let n = 3;
    while (this.fds.has(n)) n++;
    this.fds.set(n, entry);
    return n;
  }

  nextRandom() {
    // mulberry32: tiny and deterministic; the engine never relies on it.
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  writeFilestat(ptr, type, ino, size) {
    const v = this.view();
    for (let i = 0; i < 64; i += 8) v.setBigUint64(ptr + i, 0n, true);
    v.setBigUint64(ptr + 8, BigInt(ino), true);
    v.setUint8(ptr + 16, type);
    v.setBigUint64(ptr + 24, 1n, true);
    v.setBigUint64(ptr + 32, BigInt(size), true);
  }

  stringsSizes(list, countPtr, sizePtr) {
    const v = this.view();
    v.setUint32(countPtr, list.length, true);
    v.setUint32(sizePtr, list.reduce((n, s) => n + encoder.encode(s).length + 1, 0), true);
    return ERRNO.SUCCESS;
  }

  stringsGet(list, ptrsPtr, bufPtr) {
    const v = this.view();
    for (const [i, s] of list.entries()) {
      const b = encoder.encode(s + '\0');
      v.setUint32(ptrsPtr + i * 4, bufPtr, true);
      this.bytes(bufPtr, b.length).set(b);
      bufPtr += b.length;
    }
    return ERRNO.SUCCESS;
  }

  readInto(f, iovs, at) {
    let total = 0;
    for (const iov of iovs) {
      const n = this.volume.read(f.node, iov, at + total);
      total += n;
      if (n < iov.length) break;
    }
    return total;
  }

  // writeFrom writes the iovecs at at; a failure after some bytes landed is a
  // short write (the guest retries and then sees the error).
  writeFrom(f, iovs, at) {
    let total = 0;
    for (const iov of iovs) {
      try {
        total += this.volume.write(f.node, iov, at + total);
      } catch (e) {
        if (total > 0) return total;
        throw e;
      }
    }
    return total;
  }

  clockNow(id) {
    if (id === 0) return (this.realtime += TICK_NS);
    if (id >= 1 && id <= 3) return (this.monotonic += TICK_NS);
    throw new WasiError(ERRNO.INVAL);
  }

  // --- the import table ---------------------------------------------------

  table() {
    const t = {
      args_sizes_get: (c, s) => this.stringsSizes(this.args, c, s),
      args_get: (p, b) => this.stringsGet(this.args, p, b),
      environ_sizes_get: (c, s) => this.stringsSizes(this.env, c, s),
      environ_get: (p, b) => this.stringsGet(this.env, p, b),

      clock_res_get: (id, ptr) => {
        if (id < 0 || id > 3) return ERRNO.INVAL;
        this.view().setBigUint64(ptr, TICK_NS, true);
        return ERRNO.SUCCESS;
      },
      clock_time_get: (id, _precision, ptr) => {
        this.view().setBigUint64(ptr, this.clockNow(id), true);
        return ERRNO.SUCCESS;
      },
      random_get: (ptr, len) => {
        const b = this.bytes(ptr, len);
        for (let i = 0; i < len; i += 4) {
          let r = this.nextRandom();
          for (let j = i; j < Math.min(i + 4, len); j++, r >>>= 8) b[j] = r & 0xff;
        }
        return ERRNO.SUCCESS;
      },
      proc_exit: (code) => {
        throw new WASIExit(code);
      },
      sched_yield: () => ERRNO.SUCCESS,

      // poll_oneoff: clock subscriptions fire at once and move the fake
      // monotonic clock to their deadline; fd subscriptions report ready.
      poll_oneoff: (inPtr, outPtr, nsubs, neventsPtr) => {
        if (nsubs === 0) return ERRNO.INVAL;
        const v = this.view();
        for (let i = 0; i < nsubs; i++) {
          const s = inPtr + i * 48;
          const e = outPtr + i * 32;
          const tag = v.getUint8(s + 8);
          v.setBigUint64(e, v.getBigUint64(s, true), true); // userdata
          v.setUint16(e + 8, ERRNO.SUCCESS, true);
          v.setUint8(e + 10, tag);
          v.setBigUint64(e + 16, 0n, true);
          v.setUint16(e + 24, 0, true);
          if (tag === 0) {
            const timeout = v.getBigUint64(s + 24, true);
            const abs = (v.getUint16(s + 40, true) & 1) === 1;
            const id = v.getUint32(s + 16, true);
            if (id === 0) {
              this.realtime = abs ? (timeout > this.realtime ? timeout : this.realtime) : this.realtime + timeout;
            } else {
              this.monotonic = abs ? (timeout > this.monotonic ? timeout : this.monotonic) : this.monotonic + timeout;
            }
          } else if (tag > 2) {
            v.setUint16(e + 8, ERRNO.INVAL, true);
          }
        }
        v.setUint32(neventsPtr, nsubs, true);
        return ERRNO.SUCCESS;
      },

      fd_write: (fd, iovsPtr, iovsLen, nPtr) => {
        const f = this.fd(fd);
        const iovs = this.iovecs(iovsPtr, iovsLen);
        let n;
        if (f.kind === 'stdio') {
          if (fd === 0) return ERRNO.BADF;
          const sink = fd === 1 ? this.stdout : this.stderr;
          n = 0;
          for (const iov of iovs) {
            sink(iov.slice());
            n += iov.length;
          }
        } else {
          const file = this.fd(fd, 'file');
          if (!file.write) return ERRNO.BADF;
          const at = file.append ? this.volume.size(file.node) : file.pos;
          n = this.writeFrom(file, iovs, at);
          file.pos = at + n;
        }
        this.view().setUint32(nPtr, n, true);
        return ERRNO.SUCCESS;
      },
      fd_pwrite: (fd, iovsPtr, iovsLen, offset, nPtr) => {
        const f = this.fd(fd);
        if (f.kind === 'stdio') return ERRNO.SPIPE;
        const file = this.fd(fd, 'file');
        if (!file.write) return ERRNO.BADF;
        const n = this.writeFrom(file, this.iovecs(iovsPtr, iovsLen), Number(offset));
        this.view().setUint32(nPtr, n, true);
        return ERRNO.SUCCESS;
      },
      fd_read: (fd, iovsPtr, iovsLen, nPtr) => {
        const f = this.fd(fd);
        let n = 0;
        if (f.kind === 'stdio') {
          if (fd !== 0) return ERRNO.BADF;
        } else {
          const file = this.fd(fd, 'file');
          if (!file.read) return ERRNO.BADF;
          n = this.readInto(file, this.iovecs(iovsPtr, iovsLen), file.pos);
          file.pos += n;
        }
        this.view().setUint32(nPtr, n, true);
        return ERRNO.SUCCESS;
      },
      fd_pread: (fd, iovsPtr, iovsLen, offset, nPtr) => {
        const f = this.fd(fd);
        if (f.kind === 'stdio') return ERRNO.SPIPE;
        const file = this.fd(fd, 'file');
        if (!file.read) return ERRNO.BADF;
        const n = this.readInto(file, this.iovecs(iovsPtr, iovsLen), Number(offset));
        this.view().setUint32(nPtr, n, true);
        return ERRNO.SUCCESS;
      },
      fd_seek: (fd, offset, whence, newPtr) => {
        const f = this.fd(fd);
        if (f.kind === 'stdio') return ERRNO.SPIPE;
        const file = this.fd(fd, 'file');
        const base = whence === 0 ? 0 : whence === 1 ? file.pos : whence === 2 ? this.volume.size(file.node) : NaN;
        if (Number.isNaN(base)) return ERRNO.INVAL;
        const pos = base + Number(offset);
        if (pos < 0) return ERRNO.INVAL;
        file.pos = pos;
        this.view().setBigUint64(newPtr, BigInt(pos), true);
        return ERRNO.SUCCESS;
      },
      fd_tell: (fd, ptr) => {
        const f = this.fd(fd);
        if (f.kind === 'stdio') return ERRNO.SPIPE;
        this.view().setBigUint64(ptr, BigInt(this.fd(fd, 'file').pos), true);
        return ERRNO.SUCCESS;
      },
      fd_close: (fd) => {
        const f = this.fd(fd);
        if (f.kind === 'file') this.volume.close(f.node);
        this.fds.delete(fd);
        return ERRNO.SUCCESS;
      },
      fd_fdstat_get: (fd, ptr) => {
        const f = this.fd(fd);
        const v = this.view();
        const type = f.kind === 'stdio' ? FILETYPE.CHAR : f.kind === 'dir' ? FILETYPE.DIR : FILETYPE.FILE;
        v.setUint8(ptr, type);
        v.setUint8(ptr + 1, 0);
        v.setUint16(ptr + 2, f.kind === 'file' && f.append ? FDFLAG_APPEND : 0, true);
        v.setUint32(ptr + 4, 0, true);
        v.setBigUint64(ptr + 8, ALL_RIGHTS, true);
        v.setBigUint64(ptr + 16, ALL_RIGHTS, true);
        return ERRNO.SUCCESS;
      },
      fd_fdstat_set_flags: (fd, flags) => {
        const f = this.fd(fd);
        if (f.kind === 'file') f.append = (flags & FDFLAG_APPEND) !== 0;
        return ERRNO.SUCCESS;
      },
      fd_filestat_get: (fd, ptr) => {
        const f = this.fd(fd);
        if (f.kind === 'stdio') this.writeFilestat(ptr, FILETYPE.CHAR, 0, 0);
        else if (f.kind === 'dir') this.writeFilestat(ptr, FILETYPE.DIR, this.volume.stat(f.path).ino, 0);
        else this.writeFilestat(ptr, FILETYPE.FILE, f.node.ino, this.volume.size(f.node));
        return ERRNO.SUCCESS;
      },
      fd_filestat_set_size: (fd, size) => {
        const file = this.fd(fd, 'file');
        if (!file.write) return ERRNO.BADF;
        this.volume.truncate(file.node, Number(size));
        return ERRNO.SUCCESS;
      },
      fd_sync: (fd) => {
        const f = this.fd(fd);
        if (f.kind !== 'stdio') this.volume.sync(f.kind === 'file' ? f.node : null);
        return ERRNO.SUCCESS;
      },
      fd_datasync: (fd) => {
        const f = this.fd(fd);
        if (f.kind === 'file') this.volume.sync(f.node);
        return ERRNO.SUCCESS;
      },
      fd_advise: (fd) => {
        this.fd(fd, 'file');
        return ERRNO.SUCCESS;
      },
      fd_allocate: (fd, offset, len) => {
        const file = this.fd(fd, 'file');
        const end = Number(offset) + Number(len);
        if (end > this.volume.size(file.node)) this.volume.truncate(file.node, end);
        return ERRNO.SUCCESS;
      },
      fd_prestat_get: (fd, ptr) => {
        const f = this.fds.get(fd);
        if (!f || !f.preopen) return ERRNO.BADF;
        const v = this.view();
        v.setUint32(ptr, 0, true); // tag 0: a directory
        v.setUint32(ptr + 4, encoder.encode(f.preopen).length, true);
        return ERRNO.SUCCESS;
      },
      fd_prestat_dir_name: (fd, ptr, len) => {
        const f = this.fds.get(fd);
        if (!f || !f.preopen) return ERRNO.BADF;
        const name = encoder.encode(f.preopen);
        if (len < name.length) return ERRNO.NAMETOOLONG;
        this.bytes(ptr, name.length).set(name);
        return ERRNO.SUCCESS;
      },
      fd_readdir: (fd, buf, bufLen, cookie, usedPtr) => {
        const dir = this.fd(fd, 'dir');
        const entries = this.volume.list(dir.path);
        const out = this.bytes(buf, bufLen);
        let used = 0;
        for (let i = Number(cookie); i < entries.length && used < bufLen; i++) {
          const name = encoder.encode(entries[i].name);
          const rec = new Uint8Array(24 + name.length);
          const v = new DataView(rec.buffer);
          v.setBigUint64(0, BigInt(i + 1), true); // d_next: the cookie of the following entry
          v.setBigUint64(8, BigInt(entries[i].ino), true);
          v.setUint32(16, name.length, true);
          v.setUint8(20, entries[i].type === 'dir' ? FILETYPE.DIR : FILETYPE.FILE);
          rec.set(name, 24);
          const n = Math.min(rec.length, bufLen - used); // the last entry may be cut short
          out.set(rec.subarray(0, n), used);
          used += n;
        }
        this.view().setUint32(usedPtr, used, true);
        return ERRNO.SUCCESS;
      },

      path_open: (dirfd, _lookup, pathPtr, pathLen, oflags, rightsBase, _rightsInh, fdflags, fdPtr) => {
        const p = this.path(dirfd, pathPtr, pathLen);
        const wantWrite = (BigInt(rightsBase) & RIGHT_FD_WRITE) !== 0n;
        const existing = this.volume.nodes.get(p);
        let entry;
        if ((oflags & OFLAG.DIRECTORY) !== 0 || (existing && existing.type === 'dir')) {
          const node = this.volume.lookup(p);
          if (node.type !== 'dir') return ERRNO.NOTDIR;
          if (wantWrite || (oflags & (OFLAG.CREAT | OFLAG.TRUNC)) !== 0) return ERRNO.ISDIR;
          entry = { kind: 'dir', path: p };
        } else {
          const node = this.volume.openFile(p, {
            create: (oflags & OFLAG.CREAT) !== 0,
            excl: (oflags & OFLAG.EXCL) !== 0,
            trunc: (oflags & OFLAG.TRUNC) !== 0,
          });
          entry = {
            kind: 'file',
            node,
            pos: 0,
            append: (fdflags & FDFLAG_APPEND) !== 0,
            read: (BigInt(rightsBase) & RIGHT_FD_READ) !== 0n,
            write: wantWrite,
          };
        }
        this.view().setUint32(fdPtr, this.allocFd(entry), true);
        return ERRNO.SUCCESS;
      },
      path_filestat_get: (dirfd, _flags, pathPtr, pathLen, ptr) => {
        const st = this.volume.stat(this.path(dirfd, pathPtr, pathLen));
        this.writeFilestat(ptr, st.type === 'dir' ? FILETYPE.DIR : FILETYPE.FILE, st.ino, st.size);
        return ERRNO.SUCCESS;
      },
      path_create_directory: (dirfd, pathPtr, pathLen) => {
        this.volume.mkdir(this.path(dirfd, pathPtr, pathLen));
        return ERRNO.SUCCESS;
      },
      path_remove_directory: (dirfd, pathPtr, pathLen) => {
        this.volume.rmdir(this.path(dirfd, pathPtr, pathLen));
        return ERRNO.SUCCESS;
      },
      path_unlink_file: (dirfd, pathPtr, pathLen) => {
        this.volume.unlink(this.path(dirfd, pathPtr, pathLen));
        return ERRNO.SUCCESS;
      },
      path_rename: (oldfd, oldPtr, oldLen, newfd, newPtr, newLen) => {
        this.volume.rename(this.path(oldfd, oldPtr, oldLen), this.path(newfd, newPtr, newLen));
        return ERRNO.SUCCESS;
      },
      // There are no symlinks: an existing path is "not a link".
      path_readlink: (dirfd, pathPtr, pathLen) => {
        this.volume.lookup(this.path(dirfd, pathPtr, pathLen));
        return ERRNO.INVAL;
      },
    };
    for (const [name, fn] of Object.entries(t)) t[name] = this.guard(fn);
    return t;
  }

  // guard turns whatever a call throws into an errno, so that a file-layer
  // failure can never trap the guest; only proc_exit unwinds.
  guard(fn) {
    return (...args) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof WASIExit) throw e;
        const errno = toErrno(e);
        if (errno === ERRNO.IO) console.error('wasi: unexpected failure', e);
        return errno;
      }
    };
  }
}

/** WASI_FUNCTIONS lists the preview1 functions this shim implements. */
export const WASI_FUNCTIONS = Object.freeze(Object.keys(new WASI().wasiImport).sort());

/** wasiImports lists the distinct wasi_snapshot_preview1 functions a module imports, sorted. */
export function wasiImports(module) {
  const names = WebAssembly.Module.imports(module)
    .filter((i) => i.module === MODULE && i.kind === 'function')
    .map((i) => i.name);
  return [...new Set(names)].sort();
}
