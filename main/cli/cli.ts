/**
 * The headless CLI: `mtls-tray <command>` (DESIGN.md §5). It parses arguments, reads the files
 * named on the command line, calls the AppService and prints the result, as text or as JSON.
 * Exit codes: 0 success, 1 failure, 2 bad usage. A UserError prints its message and fix,
 * never a stack trace; anything else is reported as a bug.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isUserError, UserError } from '../base/errors';
import { checkCaBundle } from '../profiles/share-format';
import type { AppService, EditorId, IdentityInput, InitRequest, SettingsRequest } from '../services/app-service';
import { EDITOR_IDS, isEditorId, isKeyAlgorithm, KEY_ALGORITHMS } from '../base/vocabulary';
import { extractGlobals, list, parseCommand, positiveInt, str, UsageError, type ParsedCommand } from './args';
import { COMMANDS, commandHelp, globalHelp } from './commands';
import { formatDoctorReport } from '../doctor/format-report';
import { formatProfiles, formatSettingsResults, formatStatus } from './format';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  /** Whether a person can answer a question on stdin. */
  interactive: boolean;
  cwd: string;
}

export interface CliDeps {
  createService(dataDir: string | undefined): AppService;
}

const MAX_INPUT_FILE = 1024 * 1024;

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  // Known before parsing, so even a usage error in the global flags is reported as JSON.
  let json = argv.includes('--json');
  try {
    const { globals, rest } = extractGlobals(argv);
    json = globals.json;
    const cmd = parseCommand(rest, COMMANDS, globals.help);
    if (!cmd) {
      if (globals.help) {
        io.stdout(`${globalHelp()}\n`);
        return 0;
      }
      throw new UsageError('no command given; run mtls-tray --help for the list');
    }
    if (globals.help) {
      io.stdout(`${commandHelp(cmd.spec)}\n`);
      return 0;
    }
    const svc = deps.createService(globals.dataDir === undefined ? undefined : resolve(io.cwd, globals.dataDir));
    const out = await run(cmd, svc, io, json);
    // A settings file we could not change (invalid JSONC, unwritable) fails the command,
    // after every other file was handled and reported.
    if (!out.code && hasSettingsError(out.json)) out.code = 1;
    if (out.json !== undefined && json) io.stdout(`${JSON.stringify(out.json, null, 2)}\n`);
    else if (out.text) io.stdout(`${out.text}\n`);
    return out.code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      if (json) io.stderr(`${JSON.stringify({ error: { code: 'USAGE', message: err.message } })}\n`);
      else io.stderr(`mtls-tray: ${err.message}\n`);
      return 2;
    }
    if (isUserError(err)) {
      if (json) io.stderr(`${JSON.stringify({ error: { code: err.code, message: err.message, ...(err.fix ? { fix: err.fix } : {}) } })}\n`);
      else io.stderr(`mtls-tray: ${err.message}${err.fix ? `\n  fix: ${err.fix}` : ''}\n`);
      return 1;
    }
    const e = err as Error;
    if (json) io.stderr(`${JSON.stringify({ error: { code: 'INTERNAL', message: e?.message ?? String(err) } })}\n`);
    else io.stderr(`mtls-tray: internal error: ${e?.message ?? String(err)}\n(this is a bug; please report it with the command you ran)\n${process.env.MTLS_TRAY_DEBUG ? `${e?.stack}\n` : ''}`);
    return 1;
  }
}

interface Output {
  text?: string;
  json?: unknown;
  code?: number;
}

/** Reads a file named on the command line, naming it in every error. */
export function readInputFile(path: string, io: CliIo, what: string, binary = false): string | Buffer {
  const full = resolve(io.cwd, path);
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
  const buf = readFileSync(full);
  return binary ? buf : buf.toString('utf8');
}

async function readPassphrase(file: string | undefined, io: CliIo): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const text = file === '-' ? await io.readStdin() : (readInputFile(file, io, 'passphrase file') as string);
  return text.replace(/\r?\n$/, '');
}

function editorsOf(values: ParsedCommand['values']): EditorId[] | undefined {
  const ids = list(values.editor);
  if (ids.length === 0) return undefined;
  for (const id of ids) {
    if (!isEditorId(id)) throw new UsageError(`unknown editor "${id}"; use one of ${EDITOR_IDS.join(', ')}`);
  }
  return ids as EditorId[];
}

function settingsRequest(values: ParsedCommand['values'], io: CliIo): SettingsRequest {
  const req: SettingsRequest = {};
  const editors = editorsOf(values);
  if (editors) req.editors = editors;
  const files = list(values['settings-file']).map((f) => resolve(io.cwd, f));
  if (files.length) req.settingsFiles = files;
  if (values['dry-run']) req.dryRun = true;
  if (values['proxy-support']) req.proxyConsent = true;
  return req;
}

function parseHeaders(raw: string[]): Array<{ name: string; value: string }> {
  return raw.map((h) => {
    const i = h.indexOf('=');
    if (i <= 0) throw new UsageError(`--header must be NAME=VALUE, not "${h}"`);
    return { name: h.slice(0, i), value: h.slice(i + 1) };
  });
}

async function identityFrom(v: ParsedCommand['values'], io: CliIo): Promise<{ identity?: IdentityInput; profileSource?: string; csrOut?: string; passphrase?: string }> {
  const chosen = ['self-signed', 'csr', 'local-ca', 'import-pem', 'import-p12', 'from-profile'].filter((k) => v[k] !== undefined && v[k] !== false);
  if (chosen.length !== 1) {
    throw new UsageError(chosen.length === 0 ? 'init needs a source: --self-signed, --csr OUT.csr, --local-ca, --import-pem CERT KEY, --import-p12 FILE or --from-profile FILE' : `init takes one source, not ${chosen.map((c) => `--${c}`).join(' and ')}`);
  }
  const passphrase = await readPassphrase(str(v['passphrase-file']), io);
  switch (chosen[0]) {
    case 'self-signed':
      return { identity: { kind: 'self-signed' } };
    case 'local-ca':
      return { identity: { kind: 'local-ca' } };
    case 'csr':
      return { identity: { kind: 'csr' }, csrOut: resolve(io.cwd, str(v.csr)!) };
    case 'import-pem': {
      const files = list(v['import-pem']);
      if (files.length !== 2) throw new UsageError('--import-pem takes two files: --import-pem CERT --import-pem KEY (or CERT KEY in that order)');
      const identity: IdentityInput = {
        kind: 'import-pem',
        certPem: readInputFile(files[0]!, io, 'certificate file') as string,
        keyPem: readInputFile(files[1]!, io, 'key file') as string,
      };
      const chain = str(v.chain);
      if (chain) identity.chainPem = readInputFile(chain, io, 'chain file') as string;
      if (passphrase !== undefined) identity.passphrase = passphrase;
      return { identity };
    }
    case 'import-p12': {
      if (passphrase === undefined) throw new UsageError('--import-p12 needs --passphrase-file F (use - to read it from stdin)');
      return { identity: { kind: 'import-p12', p12: readInputFile(str(v['import-p12'])!, io, 'PKCS#12 file', true) as Buffer, passphrase } };
    }
    default:
      return { profileSource: str(v['from-profile'])!, ...(passphrase !== undefined ? { passphrase } : {}) };
  }
}

function readProfileSource(source: string, io: CliIo): string {
  return source.startsWith('mtls-tray://') ? source : (readInputFile(source, io, 'profile file') as string);
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.interactive) return false;
  io.stdout(`${question} [y/N] `);
  const answer = (await io.readStdin()).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}

async function run(cmd: ParsedCommand, svc: AppService, io: CliIo, json: boolean): Promise<Output> {
  const v = cmd.values;
  const profile = str(v.profile);
  switch (cmd.spec.name) {
    case 'init': {
      // `--import-pem CERT KEY`: the second file arrives as a positional.
      if (v['import-pem'] !== undefined && cmd.positionals.length === 1) v['import-pem'] = [...list(v['import-pem']), cmd.positionals[0]!];
      else if (cmd.positionals.length) throw new UsageError(`init: unexpected argument "${cmd.positionals[0]}"`);
      const url = str(v.url);
      const { identity, profileSource, csrOut, passphrase } = await identityFrom(v, io);
      const common = { editors: editorsOf(v), noSettings: Boolean(v['no-settings']), proxyConsent: Boolean(v['proxy-support']) };
      if (profileSource) {
        const text = readProfileSource(profileSource, io);
        const preview = await svc.previewImport(text);
        if (!json) io.stdout(`${preview.review.join('\n')}\n`);
        const res = await svc.importProfile(text, { ...stripUndef(common), ...(passphrase !== undefined ? { passphrase } : {}) });
        return { json: res, text: initText(res) };
      }
      if (!url) throw new UsageError('init needs --url URL (the address of your Coder deployment)');
      const req: InitRequest = { url, identity: identity! };
      const name = str(v.name);
      if (name) req.name = name;
      const sans = list(v.san);
      if (sans.length) req.sans = sans;
      const key = str(v.key);
      if (key !== undefined) {
        if (!isKeyAlgorithm(key)) throw new UsageError(`--key must be one of ${KEY_ALGORITHMS.join(', ')}, not "${key}"`);
        req.keyAlgorithm = key;
      }
      const days = positiveInt(str(v.days), '--days', 3650);
      if (days !== undefined) req.days = days;
      const ca = str(v['ca-bundle']);
      // Checked here too, so a bad bundle is reported with its file name.
      if (ca) req.caBundlePem = checkCaBundle(readInputFile(ca, io, 'CA bundle') as string, `the CA bundle ${resolve(io.cwd, ca)}`);
      const alt = str(v['alt-host']);
      if (alt) req.altHost = alt;
      const headers = list(v.header);
      if (headers.length) req.headers = parseHeaders(headers);
      if (common.editors) req.editors = common.editors;
      const files = list(v['settings-file']).map((f) => resolve(io.cwd, f));
      if (files.length) req.settingsFiles = files;
      if (common.noSettings) req.noSettings = true;
      if (common.proxyConsent) req.proxyConsent = true;
      const res = await svc.init(req);
      if (csrOut && res.csrPem) writeFileSync(csrOut, res.csrPem, { mode: 0o644 });
      return { json: { ...res, ...(csrOut ? { csrFile: csrOut } : {}) }, text: initText(res) + (csrOut ? `\nCertificate request written to ${csrOut}; send it to your CA, then run: mtls-tray csr import-cert CERT.pem` : '') };
    }
    case 'status': {
      const s = await svc.status(profile);
      if (!s) throw new UserError('NO_PROFILE', 'There is no profile yet', 'Create one with: mtls-tray init --url https://coder.example.com --self-signed');
      const errors = s.report?.warnings.some((w) => w.severity === 'error');
      return { json: s, text: formatStatus(s), code: errors ? 1 : 0 };
    }
    case 'renew':
    case 'rotate':
    case 'rollback': {
      const op = cmd.spec.name === 'renew' ? svc.renew : cmd.spec.name === 'rotate' ? svc.rotate : svc.rollback;
      const res = await op.call(svc, profile);
      return { json: res, text: res.message };
    }
    case 'refresh': {
      const res = await svc.refresh();
      return { json: res, text: res.message, code: res.ok ? 0 : 1 };
    }
    case 'switch': {
      const res = await svc.switchProfile(cmd.positionals[0]!);
      return { json: res, text: [`Active profile: ${res.profileId}`, ...(res.settings.some((s) => s.changed) ? [formatSettingsResults(res.settings, false)] : ['Editor settings unchanged.'])].join('\n') };
    }
    case 'list': {
      const profiles = await svc.listProfiles();
      return { json: profiles, text: formatProfiles(profiles) };
    }
    case 'csr import-cert': {
      const certPem = readInputFile(cmd.positionals[0]!, io, 'certificate file') as string;
      const res = await svc.csrImportCert(certPem, profile, { ...settingsRequest(v, io), noSettings: Boolean(v['no-settings']) });
      return { json: res, text: [res.message, ...(res.settings.length ? [formatSettingsResults(res.settings, false)] : [])].join('\n') };
    }
    case 'csr show': {
      const pem = await svc.pendingCsr(profile);
      return { json: { csrPem: pem }, text: pem.trimEnd() };
    }
    case 'ca sign': {
      const out = str(v.out);
      if (!out) throw new UsageError('ca sign needs --out CERT');
      const csrPem = readInputFile(cmd.positionals[0]!, io, 'CSR file') as string;
      const opts: { days?: number; allowSans?: string[]; profileId?: string } = {};
      const days = positiveInt(str(v.days), '--days', 3650);
      if (days !== undefined) opts.days = days;
      const allow = list(v['allow-san']);
      if (allow.length) opts.allowSans = allow;
      if (profile) opts.profileId = profile;
      const res = await svc.caSign(csrPem, opts);
      writeFileSync(resolve(io.cwd, out), res.certPem, { mode: 0o644 });
      return {
        json: { out: resolve(io.cwd, out), copied: res.copied, refused: res.refused },
        text: `Signed; certificate written to ${resolve(io.cwd, out)}\n  SANs copied: ${res.copied.join(', ') || '(none)'}${res.refused.length ? `\n  SANs refused: ${res.refused.join(', ')}` : ''}`,
      };
    }
    case 'ca cert': {
      const pem = await svc.caCert(profile);
      const out = str(v.out);
      if (out) writeFileSync(resolve(io.cwd, out), pem, { mode: 0o644 });
      return { json: { certPem: pem, ...(out ? { out: resolve(io.cwd, out) } : {}) }, text: out ? `CA certificate written to ${resolve(io.cwd, out)}` : pem.trimEnd() };
    }
    case 'export': {
      if (v.link) {
        if (v['with-identity']) throw new UsageError('a link cannot carry a private key; use --out FILE --with-identity');
        const link = await svc.exportLink(profile);
        return { json: { link }, text: link };
      }
      const out = str(v.out);
      if (!out) throw new UsageError('export needs --out FILE (or --link)');
      let passphrase: string | undefined;
      if (v['with-identity']) {
        passphrase = await readPassphrase(str(v['passphrase-file']), io);
        if (!passphrase) throw new UsageError('--with-identity needs --passphrase-file F with a non-empty passphrase');
      }
      const text = await svc.exportProfile(profile, passphrase ? { withIdentityPassphrase: passphrase } : {});
      writeFileSync(resolve(io.cwd, out), text, { mode: passphrase ? 0o600 : 0o644 });
      return {
        json: { out: resolve(io.cwd, out), withIdentity: Boolean(passphrase) },
        text: `Profile written to ${resolve(io.cwd, out)}${passphrase ? ' (with your certificate and key, encrypted with the passphrase)' : ' (no private key included)'}`,
      };
    }
    case 'import': {
      const text = readProfileSource(cmd.positionals[0]!, io);
      const preview = await svc.previewImport(text);
      if (!v.yes) {
        io.stdout(`This profile will set:\n${preview.review.map((l) => `  ${l}`).join('\n')}\n`);
        if (!(await confirm(io, 'Apply it?'))) {
          throw new UserError('NOT_CONFIRMED', 'Nothing was imported', io.interactive ? undefined : 'Run again with --yes to import without asking');
        }
      }
      const passphrase = await readPassphrase(str(v['passphrase-file']), io);
      if (preview.needsPassphrase && passphrase === undefined) throw new UsageError('this profile carries an encrypted identity; give --passphrase-file F');
      const opts = { ...stripUndef({ editors: editorsOf(v) }), noSettings: Boolean(v['no-settings']), proxyConsent: Boolean(v['proxy-support']), ...(passphrase !== undefined ? { passphrase } : {}) };
      const res = await svc.importProfile(text, opts);
      return { json: { review: preview.review, ...res }, text: initText(res) };
    }
    case 'doctor': {
      const r = await svc.doctor(profile);
      return { json: r, text: formatDoctorReport(r).trimEnd(), code: r.ok ? 0 : 1 };
    }
    case 'settings apply':
    case 'settings remove': {
      const req = settingsRequest(v, io);
      const res = cmd.spec.name === 'settings apply' ? await svc.applySettings(req) : await svc.removeSettings(req);
      return { json: res, text: formatSettingsResults(res, Boolean(req.dryRun)) };
    }
    case 'settings show': {
      const res = await svc.showSettings(settingsRequest(v, io));
      return { json: res, text: res.map((r) => `${r.editor} ${r.path}${r.exists ? '' : ' (no file yet)'}\n${Object.entries(r.values).map(([k, val]) => `  ${k} = ${JSON.stringify(val)}`).join('\n') || '  (no coder.* settings)'}`).join('\n') };
    }
  }
  throw new UsageError(`command "${cmd.spec.name}" is not implemented`);
}

function hasSettingsError(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((r) => typeof r === 'object' && r !== null && 'error' in r && (r as { error?: unknown }).error !== undefined);
  if (typeof v === 'object' && v !== null && 'settings' in v) return hasSettingsError((v as { settings: unknown }).settings);
  return false;
}

function stripUndef<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

function initText(res: Awaited<ReturnType<AppService['init']>>): string {
  const lines = [`Profile ${res.profile.name} (${res.profile.id}) created for ${res.profile.url}${res.profile.pending ? '; waiting for the CA-issued certificate' : ''}.`];
  if (res.settings.length) lines.push(formatSettingsResults(res.settings, false));
  for (const n of res.notices) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** Entry point when run as a program (dist/cli.js, or the app binary with --cli). */
export async function main(argv: readonly string[], createService: CliDeps['createService']): Promise<never> {
  const stdinChunks: Buffer[] = [];
  let stdinRead: Promise<string> | null = null;
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // A getter: touching process.stdin sets up a stream, which costs a cold start dearly.
    get interactive() {
      return Boolean(process.stdin.isTTY);
    },
    cwd: process.cwd(),
    readStdin: () =>
      (stdinRead ??= new Promise((res, rej) => {
        if (process.stdin.isTTY) {
          process.stdin.once('data', (d) => {
            process.stdin.pause();
            res(d.toString());
          });
          return;
        }
        process.stdin.on('data', (d: Buffer) => stdinChunks.push(d));
        process.stdin.on('end', () => res(Buffer.concat(stdinChunks).toString('utf8')));
        process.stdin.on('error', rej);
      })),
  };
  const code = await runCli(argv, io, { createService });
  process.exitCode = code;
  // Let stdout drain, then leave even if a handle (a socket the doctor opened) lingers.
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  process.exit(code);
}
