/**
 * Files the user picks in a native dialog stay in the main process: the renderer gets an opaque
 * token (32 random bytes) and the file's base name, and hands the token back when it wants the
 * file used. A token belongs to the window it was issued to, expires, and is checked on every
 * use, so a page can never name a path on disk, and a token seen by one window is useless in
 * another. Contents are read here with a size limit before anything parses them.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../base/errors';
import type { FilePurpose } from './arg-schemas';

export type { FilePurpose };

/** PEM files, PKCS#12 bundles and profiles are a few KiB; a MiB leaves room and stops a runaway read. */
export const MAX_PICKED_FILE_BYTES = 1024 * 1024;
const TOKEN_TTL_MS = 60 * 60_000;
const MAX_TOKENS_PER_WINDOW = 64;

interface Entry {
  windowId: number;
  path: string;
  purpose: FilePurpose;
  issuedAt: number;
}

export interface FileTokenStore {
  issue(windowId: number, path: string, purpose: FilePurpose): { token: string; name: string };
  /** The path behind a token issued to this window; UserError FILE_TOKEN_UNKNOWN otherwise. */
  resolve(windowId: number, token: string): { path: string; purpose: FilePurpose };
  /** Reads the file behind a token, at most MAX_PICKED_FILE_BYTES. */
  read(windowId: number, token: string): Promise<Buffer>;
  readText(windowId: number, token: string): Promise<string>;
  /** Forget every token of a closed window. */
  dropWindow(windowId: number): void;
}

export function createFileTokenStore(opts: { now?: () => number; random?: (n: number) => Buffer } = {}): FileTokenStore {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? randomBytes;
  const tokens = new Map<string, Entry>();

  function resolve(windowId: number, token: string): Entry {
    const e = tokens.get(token);
    if (e === undefined || e.windowId !== windowId || now() - e.issuedAt > TOKEN_TTL_MS) {
      throw new UserError('FILE_TOKEN_UNKNOWN', 'the chosen file is no longer available to this window', 'choose the file again');
    }
    return e;
  }

  async function read(windowId: number, token: string): Promise<Buffer> {
    const { path } = resolve(windowId, token);
    // A FIFO (or a device) would block open() on a thread-pool thread until a writer comes, and
    // four of them stop every file operation in the process: refuse anything but a regular file
    // before opening, and open non-blocking so a swap between stat and open cannot block either.
    let before;
    try {
      before = await stat(path);
    } catch (err) {
      throw new UserError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check that the file still exists and that you may read it');
    }
    if (!before.isFile()) throw new UserError('FILE_UNREADABLE', `${path} is not a regular file`, 'choose a certificate, key, .p12 or .mtlsprofile file');
    let fh;
    try {
      fh = await open(path, constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK));
    } catch (err) {
      throw new UserError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check that the file still exists and that you may read it');
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new UserError('FILE_UNREADABLE', `${path} is not a regular file`, 'choose a certificate, key, .p12 or .mtlsprofile file');
      if (st.size > MAX_PICKED_FILE_BYTES) {
        throw new UserError('FILE_TOO_LARGE', `${path} is ${st.size} bytes; certificates, keys and profiles are far smaller (limit ${MAX_PICKED_FILE_BYTES})`, 'choose the right file');
      }
      // Read one byte past the limit in case the file grew since stat.
      const buf = Buffer.alloc(Math.min(st.size, MAX_PICKED_FILE_BYTES) + 1);
      let n = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
        if (n === buf.length) break;
      }
      if (n > MAX_PICKED_FILE_BYTES) throw new UserError('FILE_TOO_LARGE', `${path} is larger than ${MAX_PICKED_FILE_BYTES} bytes`, 'choose the right file');
      return buf.subarray(0, n);
    } finally {
      await fh.close();
    }
  }

  return {
    issue(windowId, path, purpose) {
      const mine = [...tokens.entries()].filter(([, e]) => e.windowId === windowId);
      // Oldest first out: a page picking files in a loop cannot grow this map without bound.
      for (const [t] of mine.slice(0, Math.max(0, mine.length - MAX_TOKENS_PER_WINDOW + 1))) tokens.delete(t);
      const token = random(32).toString('base64url');
      tokens.set(token, { windowId, path, purpose, issuedAt: now() });
      return { token, name: basename(path) };
    },
    resolve(windowId, token) {
      const e = resolve(windowId, token);
      return { path: e.path, purpose: e.purpose };
    },
    read,
    async readText(windowId, token) {
      const buf = await read(windowId, token);
      const text = buf.toString('utf8');
      if (text.includes('\uFFFD')) {
        throw new UserError('FILE_NOT_TEXT', `${resolve(windowId, token).path} is not a text file`, 'choose a PEM (text) file, or import a .p12 as PKCS#12');
      }
      return text;
    },
    dropWindow(windowId) {
      for (const [t, e] of tokens) if (e.windowId === windowId) tokens.delete(t);
    },
  };
}
