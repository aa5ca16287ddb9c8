// errno.js — WASI preview1 error numbers and the exception the file layers
// throw to return one. The shim turns a thrown WasiError into its errno.

export const ERRNO = Object.freeze({
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  BUSY: 10,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  ILSEQ: 25,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  PERM: 63,
  SPIPE: 70,
  NOTCAPABLE: 76,
});

const NAMES = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, 'E' + k]));

/**
 * WasiError carries an errno out of the file layers. It is a plain object
 * with an Error's name and message, not an Error: the guest's MkdirAll and
 * Stat meet ENOENT and EEXIST as a matter of course, and building an Error
 * (its stack trace through the wasm frames) cost three times the rest of
 * such a call in V8.
 */
export class WasiError {
  constructor(errno, message) {
    this.name = 'WasiError';
    this.message = message || NAMES[errno] || `errno ${errno}`;
    this.errno = errno;
  }

  toString() {
    return `${this.name}: ${this.message}`;
  }
}

/** errnoName gives "ENOSPC" for 51 (for messages and tests). */
export function errnoName(errno) {
  return NAMES[errno] || `errno ${errno}`;
}

/**
 * toErrno maps anything thrown by a file layer to an errno: a WasiError keeps
 * its own, a storage quota error becomes ENOSPC, anything else EIO.
 */
export function toErrno(e) {
  if (e instanceof WasiError) return e.errno;
  if (e && (e.name === 'QuotaExceededError' || e.code === 22)) return ERRNO.NOSPC;
  return ERRNO.IO;
}
