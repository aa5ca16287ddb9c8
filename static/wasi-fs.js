// wasi-fs.js — the file half of the WASI shim: every fd_* and path_* import,
// over the WASI instance's descriptor table and its Volume (/data). Split
// from wasi.js only to keep each file readable; see there for the rest.

import { ERRNO } from './errno.js';

const ALL_RIGHTS = 0x1fffffffn;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const FILETYPE = { CHAR: 2, DIR: 3, FILE: 4 };
const OFLAG = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const FDFLAG_APPEND = 1;

const encoder = new TextEncoder();

function writeFilestat(w, ptr, type, ino, size) {
  const v = w.view();
  for (let i = 0; i < 64; i += 8) v.setBigUint64(ptr + i, 0n, true);
  v.setBigUint64(ptr + 8, BigInt(ino), true);
  v.setUint8(ptr + 16, type);
  v.setBigUint64(ptr + 24, 1n, true);
  v.setBigUint64(ptr + 32, BigInt(size), true);
}

function readInto(w, f, iovs, at) {
  let total = 0;
  for (const iov of iovs) {
    const n = w.volume.read(f.node, iov, at + total);
    total += n;
    if (n < iov.length) break;
  }
  return total;
}

// writeFrom writes the iovecs at at; a failure after some bytes landed is a
// short write (the guest retries and then sees the error).
function writeFrom(w, f, iovs, at) {
  let total = 0;
  for (const iov of iovs) {
    try {
      total += w.volume.write(f.node, iov, at + total);
    } catch (e) {
      if (total > 0) return total;
      throw e;
    }
  }
  return total;
}

/** fileImports returns the fd_* and path_* functions of the WASI instance w (unguarded). */
export function fileImports(w) {
  return {
    fd_write: (fd, iovsPtr, iovsLen, nPtr) => {
      const f = w.fd(fd);
      const iovs = w.iovecs(iovsPtr, iovsLen);
      let n;
      if (f.kind === 'stdio') {
        if (fd === 0) return ERRNO.BADF;
        const sink = fd === 1 ? w.stdout : w.stderr;
        n = 0;
        for (const iov of iovs) {
          sink(iov.slice());
          n += iov.length;
        }
      } else {
        const file = w.fd(fd, 'file');
        if (!file.write) return ERRNO.BADF;
        const at = file.append ? w.volume.size(file.node) : file.pos;
        n = writeFrom(w, file, iovs, at);
        file.pos = at + n;
      }
      w.view().setUint32(nPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_pwrite: (fd, iovsPtr, iovsLen, offset, nPtr) => {
      const f = w.fd(fd);
      if (f.kind === 'stdio') return ERRNO.SPIPE;
      const file = w.fd(fd, 'file');
      if (!file.write) return ERRNO.BADF;
      const n = writeFrom(w, file, w.iovecs(iovsPtr, iovsLen), Number(offset));
      w.view().setUint32(nPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_read: (fd, iovsPtr, iovsLen, nPtr) => {
      const f = w.fd(fd);
      let n = 0;
      if (f.kind === 'stdio') {
        if (fd !== 0) return ERRNO.BADF;
      } else {
        const file = w.fd(fd, 'file');
        if (!file.read) return ERRNO.BADF;
        n = readInto(w, file, w.iovecs(iovsPtr, iovsLen), file.pos);
        file.pos += n;
      }
      w.view().setUint32(nPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_pread: (fd, iovsPtr, iovsLen, offset, nPtr) => {
      const f = w.fd(fd);
      if (f.kind === 'stdio') return ERRNO.SPIPE;
      const file = w.fd(fd, 'file');
      if (!file.read) return ERRNO.BADF;
      const n = readInto(w, file, w.iovecs(iovsPtr, iovsLen), Number(offset));
      w.view().setUint32(nPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_seek: (fd, offset, whence, newPtr) => {
      const f = w.fd(fd);
      if (f.kind === 'stdio') return ERRNO.SPIPE;
      const file = w.fd(fd, 'file');
      const base = whence === 0 ? 0 : whence === 1 ? file.pos : whence === 2 ? w.volume.size(file.node) : NaN;
      if (Number.isNaN(base)) return ERRNO.INVAL;
      const pos = base + Number(offset);
      if (pos < 0) return ERRNO.INVAL;
      file.pos = pos;
      w.view().setBigUint64(newPtr, BigInt(pos), true);
      return ERRNO.SUCCESS;
    },
    fd_tell: (fd, ptr) => {
      const f = w.fd(fd);
      if (f.kind === 'stdio') return ERRNO.SPIPE;
      w.view().setBigUint64(ptr, BigInt(w.fd(fd, 'file').pos), true);
      return ERRNO.SUCCESS;
    },
    fd_close: (fd) => {
      const f = w.fd(fd);
      if (f.kind === 'file') w.volume.close(f.node);
      w.fds.delete(fd);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_get: (fd, ptr) => {
      const f = w.fd(fd);
      const v = w.view();
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
      const f = w.fd(fd);
      if (f.kind === 'file') f.append = (flags & FDFLAG_APPEND) !== 0;
      return ERRNO.SUCCESS;
    },
    fd_filestat_get: (fd, ptr) => {
      const f = w.fd(fd);
      if (f.kind === 'stdio') writeFilestat(w, ptr, FILETYPE.CHAR, 0, 0);
      else if (f.kind === 'dir') writeFilestat(w, ptr, FILETYPE.DIR, w.volume.stat(f.path).ino, 0);
      else writeFilestat(w, ptr, FILETYPE.FILE, f.node.ino, w.volume.size(f.node));
      return ERRNO.SUCCESS;
    },
    fd_filestat_set_size: (fd, size) => {
      const file = w.fd(fd, 'file');
      if (!file.write) return ERRNO.BADF;
      w.volume.truncate(file.node, Number(size));
      return ERRNO.SUCCESS;
    },
    fd_sync: (fd) => {
      const f = w.fd(fd);
      if (f.kind !== 'stdio') w.volume.sync(f.kind === 'file' ? f.node : null);
      return ERRNO.SUCCESS;
    },
    fd_datasync: (fd) => {
      const f = w.fd(fd);
      if (f.kind === 'file') w.volume.sync(f.node);
      return ERRNO.SUCCESS;
    },
    fd_advise: (fd) => {
      w.fd(fd, 'file');
      return ERRNO.SUCCESS;
    },
    fd_allocate: (fd, offset, len) => {
      const file = w.fd(fd, 'file');
      const end = Number(offset) + Number(len);
      if (end > w.volume.size(file.node)) w.volume.truncate(file.node, end);
      return ERRNO.SUCCESS;
    },
    fd_prestat_get: (fd, ptr) => {
      const f = w.fds.get(fd);
      if (!f || !f.preopen) return ERRNO.BADF;
      const v = w.view();
      v.setUint32(ptr, 0, true); // tag 0: a directory
      v.setUint32(ptr + 4, encoder.encode(f.preopen).length, true);
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name: (fd, ptr, len) => {
      const f = w.fds.get(fd);
      if (!f || !f.preopen) return ERRNO.BADF;
      const name = encoder.encode(f.preopen);
      if (len < name.length) return ERRNO.NAMETOOLONG;
      w.bytes(ptr, name.length).set(name);
      return ERRNO.SUCCESS;
    },
    fd_readdir: (fd, buf, bufLen, cookie, usedPtr) => {
      const dir = w.fd(fd, 'dir');
      const entries = w.volume.list(dir.path);
      const out = w.bytes(buf, bufLen);
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
      w.view().setUint32(usedPtr, used, true);
      return ERRNO.SUCCESS;
    },

    path_open: (dirfd, _lookup, pathPtr, pathLen, oflags, rightsBase, _rightsInh, fdflags, fdPtr) => {
      const p = w.path(dirfd, pathPtr, pathLen);
      const wantWrite = (BigInt(rightsBase) & RIGHT_FD_WRITE) !== 0n;
      const existing = w.volume.nodes.get(p);
      let entry;
      if ((oflags & OFLAG.DIRECTORY) !== 0 || (existing && existing.type === 'dir')) {
        const node = w.volume.lookup(p);
        if (node.type !== 'dir') return ERRNO.NOTDIR;
        if (wantWrite || (oflags & (OFLAG.CREAT | OFLAG.TRUNC)) !== 0) return ERRNO.ISDIR;
        entry = { kind: 'dir', path: p };
      } else {
        const node = w.volume.openFile(p, {
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
      w.view().setUint32(fdPtr, w.allocFd(entry), true);
      return ERRNO.SUCCESS;
    },
    path_filestat_get: (dirfd, _flags, pathPtr, pathLen, ptr) => {
      const st = w.volume.stat(w.path(dirfd, pathPtr, pathLen));
      writeFilestat(w, ptr, st.type === 'dir' ? FILETYPE.DIR : FILETYPE.FILE, st.ino, st.size);
      return ERRNO.SUCCESS;
    },
    path_create_directory: (dirfd, pathPtr, pathLen) => {
      w.volume.mkdir(w.path(dirfd, pathPtr, pathLen));
      return ERRNO.SUCCESS;
    },
    path_remove_directory: (dirfd, pathPtr, pathLen) => {
      w.volume.rmdir(w.path(dirfd, pathPtr, pathLen));
      return ERRNO.SUCCESS;
    },
    path_unlink_file: (dirfd, pathPtr, pathLen) => {
      w.volume.unlink(w.path(dirfd, pathPtr, pathLen));
      return ERRNO.SUCCESS;
    },
    path_rename: (oldfd, oldPtr, oldLen, newfd, newPtr, newLen) => {
      w.volume.rename(w.path(oldfd, oldPtr, oldLen), w.path(newfd, newPtr, newLen));
      return ERRNO.SUCCESS;
    },
    // There are no symlinks: an existing path is "not a link".
    path_readlink: (dirfd, pathPtr, pathLen) => {
      w.volume.lookup(w.path(dirfd, pathPtr, pathLen));
      return ERRNO.INVAL;
    },
  };
}
