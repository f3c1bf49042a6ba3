/**
 * The CommandContext over a CliIo: file reads that name the file in every error (a user who
 * typed three paths needs to know which one is wrong), passphrases, and confirmations.
 */
import { closeSync, constants, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { isUserError, UserError } from '../base/errors';
import { escapeControl } from '../base/terminal-text';
import { withPath } from '../base/fs-atomic';
import type { AppService } from '../services/app-service';
import type { CliIo, CommandContext } from './command';

/** Certificates, keys and profiles are far smaller; anything bigger is the wrong file. */
const MAX_INPUT_FILE = 1024 * 1024;

export function createContext(io: CliIo, json: boolean, service: AppService): CommandContext {
  const path = (file: string) => resolve(io.cwd, file);
  const ctx: CommandContext = {
    service,
    json,
    // A getter: the process's answer touches stdin, which costs a cold start dearly.
    get interactive() {
      return io.interactive;
    },
    stdout: (text) => io.stdout(json ? text : escapeControl(text)),
    path,
    readText: (file, what) => decodeText(readInputFile(path(file), what)),
    readBinary: (file, what) => readInputFile(path(file), what),
    async readPassphrase(file) {
      if (file === undefined) return undefined;
      const text = file === '-' ? await io.readStdin() : ctx.readText(file, 'passphrase file');
      return text.replace(/\r?\n$/, '');
    },
    writeFile(file, text, mode) {
      const full = path(file);
      writeOutputFile(full, text, mode);
      return full;
    },
    async confirm(question) {
      if (!io.interactive) return false;
      io.stdout(`${escapeControl(question)} [y/N] `);
      const answer = (await io.readStdin()).trim().toLowerCase();
      return answer === 'y' || answer === 'yes';
    },
  };
  return ctx;
}

function readInputFile(full: string, what: string): Buffer {
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new UserError('NOT_A_FILE', `${what} ${full} is not a file`);
    size = st.size;
  } catch (err) {
    if (isUserError(err)) throw err;
    throw new UserError('FILE_NOT_FOUND', `cannot read ${what} ${full}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (size > MAX_INPUT_FILE) throw new UserError('FILE_TOO_LARGE', `${what} ${full} is ${(size / 1048576).toFixed(1)} MB; certificates, keys and profiles are far smaller, so this is not one`);
  return readFileSync(full);
}

/**
 * A file the user asked for (`--out`, `--csr`): written to a fresh temp name beside it
 * (O_EXCL, so never through a planted link), given exactly `mode` whatever the umask, fsynced,
 * then renamed over the target. An existing file or symlink at the target is replaced, never
 * written through, and never keeps its old mode or owner.
 */
function writeOutputFile(full: string, text: string, mode: number): void {
  const tmp = join(dirname(full), `.${basename(full)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    try {
      if (process.platform !== 'win32') fchmodSync(fd, mode);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, full);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw withPath(err, full);
  }
}

/**
 * Text files as editors and shells write them: UTF-8 (a BOM dropped), or UTF-16 with a BOM as
 * Windows PowerShell 5 redirects output (`> cert.pem`); a PEM in UTF-16 is then read as PEM.
 */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}
