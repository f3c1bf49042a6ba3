/**
 * Runs a profile's issuer command (DESIGN §2.1): the user's own command, set on this machine,
 * run through the platform shell with the CSR (PEM) on stdin. Profile data reaches it only
 * through stdin and the environment (MTLS_TRAY_PROFILE, MTLS_TRAY_URL, MTLS_TRAY_CSR_FILE),
 * never through its command line. It must print PEM certificates (leaf first, optional chain)
 * and nothing else, exit 0 within its timeout, and stay under MAX_OUTPUT_BYTES. Whatever goes
 * wrong is a UserError naming the command, its exit code and the tail of its stderr.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../base/errors';
import type { IssuerCommand } from '../profiles/profile';

export const MAX_OUTPUT_BYTES = 1024 * 1024;
const STDERR_TAIL_BYTES = 2048;
const MAX_COMMAND_CHARS = 4096;

export interface IssuerRun {
  issuer: IssuerCommand;
  csrPem: string;
  profileId: string;
  url: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

/** A command as the user typed it: one line, not empty, not absurdly long. */
export function checkIssuerCommand(command: string, timeoutSeconds?: number): void {
  if (!command.trim()) throw new UserError('ISSUER_COMMAND_INVALID', 'The issuer command is empty', 'Give the command that sends the CSR on its stdin to your CA and prints the certificate, e.g. --issuer-command \'curl -fsS --data-binary @- https://ca.example.com/sign\'');
  if (/[\r\n\0]/.test(command)) throw new UserError('ISSUER_COMMAND_INVALID', 'The issuer command must be one line', 'Put a longer script in a file and give its path as the command');
  if (command.length > MAX_COMMAND_CHARS) throw new UserError('ISSUER_COMMAND_INVALID', `The issuer command is longer than ${MAX_COMMAND_CHARS} characters`, 'Put it in a script file and give its path');
  if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= 3600)) {
    throw new UserError('ISSUER_COMMAND_INVALID', `--issuer-timeout must be a whole number of seconds from 1 to 3600 (got ${timeoutSeconds})`);
  }
}

function shellOf(platform: NodeJS.Platform, command: string, env: IssuerRun['env']): { file: string; args: string[] } {
  if (platform === 'win32') return { file: env['ComSpec'] ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${command}"`] };
  return { file: '/bin/sh', args: ['-c', command] };
}

function tail(buf: Buffer): string {
  const t = buf.subarray(Math.max(0, buf.length - STDERR_TAIL_BYTES)).toString('utf8').trim();
  const lines = t.split(/\r?\n/).slice(-5).join(' | ');
  return lines || '(nothing on stderr)';
}

/** Runs the command and returns its stdout, checked to be PEM certificates only. */
export async function runIssuerCommand(run: IssuerRun): Promise<string> {
  const { issuer } = run;
  checkIssuerCommand(issuer.command);
  const name = `The issuer command \`${issuer.command}\``;
  const dir = await mkdtemp(join(tmpdir(), 'mtls-tray-csr-'));
  const csrFile = join(dir, 'request.csr');
  await writeFile(csrFile, run.csrPem, { mode: 0o600 });
  try {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(run.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, { MTLS_TRAY_PROFILE: run.profileId, MTLS_TRAY_URL: run.url, MTLS_TRAY_CSR_FILE: csrFile });
    const { file, args } = shellOf(run.platform, issuer.command, run.env);
    // Loaded on use: a CLI start that only reports (status, refresh) does not pay for child_process.
    // (require, not import(): the CLI bundle runs in a vm.Script, which has no dynamic-import hook.)
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const res = await new Promise<{ code: number | null; signal: string | null; stdout: Buffer; stderr: Buffer; timedOut: boolean; tooLarge: boolean; spawnError?: Error }>((resolve) => {
      const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: run.platform !== 'win32', windowsHide: true, windowsVerbatimArguments: run.platform === 'win32' });
      const out: Buffer[] = [];
      let outLen = 0;
      let err = Buffer.alloc(0);
      let timedOut = false;
      let tooLarge = false;
      const killAll = () => {
        try {
          // The whole process group (POSIX) or tree (Windows): a shell's children must not outlive it.
          if (run.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL');
          else if (child.pid) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill('SIGKILL'));
          else child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killAll();
      }, issuer.timeoutSeconds * 1000);
      child.stdout.on('data', (b: Buffer) => {
        if (tooLarge) return;
        outLen += b.length;
        if (outLen > MAX_OUTPUT_BYTES) {
          tooLarge = true;
          killAll();
          return;
        }
        out.push(b);
      });
      child.stderr.on('data', (b: Buffer) => {
        err = Buffer.concat([err, b]);
        if (err.length > 4 * STDERR_TAIL_BYTES) err = err.subarray(err.length - STDERR_TAIL_BYTES);
      });
      child.stdin.on('error', () => undefined); // a command that ignores its stdin
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr: err, timedOut, tooLarge, spawnError: e });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, timedOut, tooLarge });
      });
      child.stdin.end(run.csrPem);
    });
    const fix = 'Run the command by hand with the CSR on its stdin (`mtls-tray csr new --out req.csr`, then `CMD < req.csr`), or change it with `mtls-tray edit --issuer-command CMD`.';
    if (res.spawnError) throw new UserError('ISSUER_COMMAND_FAILED', `${name} could not be started: ${res.spawnError.message}`, fix);
    if (res.timedOut) throw new UserError('ISSUER_TIMEOUT', `${name} did not finish within ${issuer.timeoutSeconds} s and was stopped; stderr: ${tail(res.stderr)}`, `Check that the CA answers, or allow more time with \`mtls-tray edit --issuer-timeout SECONDS\`.`);
    if (res.tooLarge) throw new UserError('ISSUER_OUTPUT_TOO_LARGE', `${name} printed more than ${MAX_OUTPUT_BYTES} bytes, which is not a certificate; it was stopped`, fix);
    if (res.code !== 0) throw new UserError('ISSUER_COMMAND_FAILED', `${name} failed with ${res.code === null ? `signal ${res.signal}` : `exit code ${res.code}`}; stderr: ${tail(res.stderr)}`, fix);
    const text = res.stdout.toString('utf8');
    checkCertificatesOnly(text, `${name} (exit code 0; stderr: ${tail(res.stderr)})`);
    return text;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An error about what the command printed, restated so that it names the command and its exit status. */
export function aboutIssuerOutput(command: string, err: unknown): unknown {
  if (!(err instanceof UserError) || err.message.includes(command)) return err;
  return new UserError(err.code, `The issuer command \`${command}\` exited 0, but what it printed cannot be used: ${err.message}`, err.fix, err.field);
}

/** stdout must be PEM certificates and nothing else: never a private key, never other text. */
export function checkCertificatesOnly(text: string, what: string): void {
  const fix = 'The command must print the issued certificate (PEM, leaf first, optional chain) and nothing else on stdout; send messages to stderr.';
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new UserError('ISSUER_OUTPUT_INVALID', `${what} printed a private key; refusing its output (the key never leaves this machine, and the CA never needs it)`, fix);
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  if (!text.trim()) throw new UserError('ISSUER_OUTPUT_INVALID', `${what} printed nothing`, fix);
  if (blocks.length === 0) throw new UserError('ISSUER_OUTPUT_INVALID', `${what} printed no PEM certificate (it starts with ${JSON.stringify(text.trim().slice(0, 40))})`, fix);
  const other = blocks.find((b) => !b.startsWith('-----BEGIN CERTIFICATE-----'));
  if (other) throw new UserError('ISSUER_OUTPUT_INVALID', `${what} printed a ${other.slice(11, other.indexOf('-----', 11))} block; only certificates are accepted`, fix);
  const leftover = blocks.reduce((rest, b) => rest.replace(b, ''), text).trim();
  if (leftover) throw new UserError('ISSUER_OUTPUT_INVALID', `${what} printed text besides its PEM certificates (${JSON.stringify(leftover.slice(0, 40))})`, fix);
}
