// The credential store: generations of cert/key/CA/headers per profile under a data dir,
// published by swapping symlinks so the editor's fixed paths always show one complete
// generation (DESIGN.md §2). Readers never lock; writers go through withWriteLock().
// On Windows (or with `layout: 'fixed'`) the pointers are files and the editor's paths a
// directory of copies replaced file by file: see pointers.ts and active-mirror.ts for that
// layout and its weaker guarantee.
import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../base/errors';
import { certFacts } from './cert-facts';
import { syncMirror } from './active-mirror';
import { pathApiFor } from './data-dir';
import { ensurePrivateDir, fsyncDir, readFileOrNull, tempName, writeFileAtomic, writeNewFile, PRIVATE_FILE_MODE, SCRIPT_MODE } from '../base/fs-atomic';
import { infoOf, validateGenerationFiles, type CurrentCredentials, type GenerationFiles, type GenerationInfo, type StoreOptions, type WriteMeta } from './generation';
import { FILE_NAMES, isGenerationName, Layout, type StablePaths } from './layout';
import { buildManifest, verifyGeneration, type GenerationManifest } from './manifest';
import { defaultLayoutKind, pointersFor, type LayoutKind, type Pointers } from './pointers';
import { assertProfileId, isProfileId } from '../base/profile-id';
import { assertDataDirOwned, dataDirProblem } from './ownership';
// The generation's types live in generation.ts; importers of the store see them here too.
export type { CurrentCredentials, GenerationFiles, GenerationInfo, StoreOptions, WriteMeta } from './generation';
import { recoverStore, scanGenerations, silentLogger, type RecoveryReport, type StoreLogger } from './recovery';
import { resolveScriptLocation, type ScriptLocation } from './script-location';
import { headerCommandScriptCmd, headerCommandScriptSh, refreshScriptCmd, refreshScriptSh, type CliInvocation } from './scripts';
import { acquireWriterLock, DEFAULT_LOCK_WAIT_MS, isHolderAlive, readLockHolder, type HeldLock } from './writer-lock';
import { checkPublished, headerScriptText, scriptsDrift, type PublishedDrift } from './published';


/**
 * Locks held in the current async context, by lock file: a nested write (refresh -> renew
 * -> writeGeneration), even through another store object on the same data dir, reuses the
 * lock instead of waiting for itself.
 */
const heldLocks = new AsyncLocalStorage<ReadonlyMap<string, HeldLock>>();
/** Writers in this process queue here, by lock file, instead of polling the lock file. */
const queues = new Map<string, Promise<unknown>>();

export class CredentialStore {
  readonly layout: Layout;
  readonly paths: StablePaths;
  readonly scriptLocation: ScriptLocation;
  readonly platform: NodeJS.Platform;
  /** Which on-disk layout this store uses (StoreOptions.layout). */
  readonly layoutKind: LayoutKind;
  private readonly pointers: Pointers;
  private readonly log: StoreLogger;
  private readonly lockWaitMs: number;
  private readonly keepPrevious: number;
  private readonly now: () => Date;
  private recovered = false;
  /** The lock under which recovery last ran automatically (so recover() does not run it twice). */
  private recoveredUnder: HeldLock | null = null;
  /** The last recovery's findings, for the caller to show or log. */
  lastRecovery: RecoveryReport | null = null;

  constructor(o: StoreOptions) {
    this.platform = o.platform ?? process.platform;
    // The platform's own path rules, so a store for another platform (tests) gets its paths right.
    const dataDir = pathApiFor(this.platform).resolve(o.dataDir);
    this.scriptLocation = o.scriptLocation ?? resolveScriptLocation({ dataDir, env: o.env ?? process.env, platform: this.platform, homedir: o.homedir ?? homedir() });
    this.layout = new Layout(dataDir, this.platform, this.scriptLocation.dir);
    this.paths = this.layout.stablePaths();
    this.log = o.logger ?? silentLogger;
    this.lockWaitMs = o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.keepPrevious = Math.max(2, o.keepPrevious ?? 2);
    this.now = o.now ?? (() => new Date());
    this.layoutKind = o.layout ?? defaultLayoutKind(this.platform);
    this.pointers = pointersFor(this.layoutKind, this.layout);
  }

  get dataDir(): string {
    return this.layout.dataDir;
  }

  profileDir(id: string): string {
    return this.layout.profileDir(id);
  }

  /** Why the data dir is not safe to use (owner, mode, links leading outside), or null. */
  async dataDirProblem(): Promise<UserError | null> {
    return dataDirProblem(this.layout);
  }

  /** Creates the data dir, profiles/ and bin/ (0700). Idempotent; needs no lock. An existing
   *  data dir keeps its mode (it may be one the user pointed us at); everything below is ours. */
  async ensureLayout(): Promise<void> {
    await ensurePrivateDir(this.layout.dataDir, { tightenExisting: false });
    await ensurePrivateDir(this.layout.profilesDir);
    await ensurePrivateDir(this.layout.binDir);
  }

  /**
   * Runs `fn` holding the cross-process writer lock. Nested calls (from inside `fn`) reuse
   * the lock. The first acquisition of this store, and any that broke a dead writer's lock,
   * runs recovery first.
   */
  async withWriteLock<T>(purpose: string, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    const key = this.layout.lockFile;
    const mine = heldLocks.getStore()?.get(key);
    // A callback scheduled inside fn (a timer, a listener) inherits the async context but may
    // run after the lock is gone: only a lock still held counts.
    if (mine && !mine.released) return fn(mine);
    const run = async (): Promise<T> => {
      // Never write into a data dir that someone else can change (see ownership.ts).
      await assertDataDirOwned(this.layout);
      await this.ensureLayout();
      const lock = await acquireWriterLock(this.layout.lockFile, { purpose, waitMs: this.lockWaitMs });
      try {
        if (lock.brokeStale.length > 0) {
          this.log.warn(`broke the writer lock of a process that died (pid ${lock.brokeStale.map((h) => h.pid).join(', ')})`);
        }
        if (!this.recovered || lock.brokeStale.length > 0) {
          this.lastRecovery = await recoverStore(this.layout, this.log, this.pointers);
          this.recovered = true;
          this.recoveredUnder = lock;
        }
        const inner = new Map(heldLocks.getStore() ?? []);
        inner.set(key, lock);
        return await heldLocks.run(inner, () => fn(lock));
      } finally {
        await lock.release();
      }
    };
    const result = (queues.get(key) ?? Promise.resolve()).then(run, run);
    const tail = result.then(() => undefined, () => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return result;
  }

  /** Runs recovery now (under the lock) and returns what it found. */
  async recover(): Promise<RecoveryReport> {
    return this.withWriteLock('recovery', async (lock) => {
      if (this.recoveredUnder === lock && this.lastRecovery) return this.lastRecovery;
      this.lastRecovery = await recoverStore(this.layout, this.log, this.pointers);
      this.recovered = true;
      return this.lastRecovery;
    });
  }

  async listProfiles(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.layout.profilesDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter(isProfileId).sort();
  }

  /** Creates profiles/<id>/generations (0700); returns the profile dir. */
  async createProfileDir(id: string): Promise<string> {
    assertProfileId(id);
    await this.ensureLayout();
    await ensurePrivateDir(this.layout.profileDir(id));
    await ensurePrivateDir(this.layout.generationsDir(id));
    return this.layout.profileDir(id);
  }

  /** Atomically replaces a file in a profile's directory (profile.json, ca-bundle.crt), 0600. */
  async writeProfileFile(id: string, name: string, content: string): Promise<string> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === 'current' || name === 'generations') {
      throw new Error(`not a profile file name: ${name}`);
    }
    return this.withWriteLock(`write ${name} of ${id}`, async () => {
      await this.createProfileDir(id);
      const path = join(this.layout.profileDir(id), name);
      await writeFileAtomic(path, content, PRIVATE_FILE_MODE);
      return path;
    });
  }



  /**
   * Publishes a new generation and makes it current: built in a temp dir (each file
   * fsynced), renamed to its number (complete by construction), then `current` swapped
   * with one rename. Older generations beyond `keepPrevious` are pruned afterwards.
   */
  async writeGeneration(id: string, files: GenerationFiles, meta: WriteMeta): Promise<GenerationInfo> {
    assertProfileId(id);
    validateGenerationFiles(files);
    const facts = certFacts(files.cert);
    return this.withWriteLock(`${meta.operation} ${id}`, async (lock) => {
      await this.createProfileDir(id);
      const gensDir = this.layout.generationsDir(id);
      const existing = (await fsp.readdir(gensDir)).filter(isGenerationName).map(Number);
      const n = existing.reduce((a, b) => Math.max(a, b), 0) + 1;
      const contents: Record<string, string> = {
        [FILE_NAMES.cert]: files.cert,
        [FILE_NAMES.key]: files.key,
        [FILE_NAMES.headers]: files.headers,
      };
      if (files.ca !== undefined && files.ca !== null) contents[FILE_NAMES.ca] = files.ca;
      const manifest = buildManifest(n, meta.now ?? this.now(), meta.operation, facts, contents);

      const tmp = tempName(gensDir, String(n));
      await fsp.mkdir(tmp, { mode: 0o700 });
      await fsp.chmod(tmp, 0o700);
      // All files at once: concurrent fsyncs share journal commits, and nothing in a temp dir
      // is visible to readers anyway. The manifest is just another file: the dir only becomes
      // a generation by the rename below, after every fsync has returned.
      contents[FILE_NAMES.manifest] = JSON.stringify(manifest, null, 2) + '\n';
      await Promise.all(Object.entries(contents).map(([name, text]) => writeNewFile(join(tmp, name), text, PRIVATE_FILE_MODE)));
      await fsyncDir(tmp);
      const dir = this.layout.generationDir(id, n);
      await fsp.rename(tmp, dir);
      await fsyncDir(gensDir);

      await lock.assertHeld();
      await this.pointers.writeCurrent(id, n);
      await this.publishIfActive(id, dir, manifest);
      this.log.info(`profile ${id}: generation ${n} (${meta.operation}) is current`, { profileId: id, generation: n, operation: meta.operation });
      await this.prune(id, n);
      return infoOf(id, dir, manifest, true);
    });
  }

  /**
   * Fixed layout: after `current` of profile `id` changed, copies that generation into
   * active/current/ if `id` is the active profile (active-mirror.ts). The links layout needs
   * nothing: its editor paths resolve through the swapped link.
   */
  private async publishIfActive(id: string, dir: string, manifest: GenerationManifest): Promise<void> {
    if (this.layoutKind !== 'fixed' || (await this.getActive()) !== id) return;
    const files = await syncMirror(this.layout, { dir, manifest });
    if (files.length > 0) this.log.info(`profile ${id}: replaced ${files.join(', ')} in ${this.layout.activeCurrentDir}`, { profileId: id, generation: manifest.number, files });
  }

  /** Removes generations older than the newest `keepPrevious + 1`, never the current one. */
  private async prune(id: string, current: number): Promise<void> {
    const gensDir = this.layout.generationsDir(id);
    const numbers = (await fsp.readdir(gensDir)).filter(isGenerationName).map(Number).sort((a, b) => b - a);
    const keep = new Set(numbers.slice(0, this.keepPrevious + 1));
    keep.add(current);
    for (const n of numbers) {
      if (keep.has(n)) continue;
      // Renamed to a temp name first, so a crash mid-delete leaves a temp dir (swept by
      // recovery) rather than a numbered generation with files missing. No fsync: a prune
      // lost in a crash only brings an old generation back, which the next prune removes.
      const doomed = tempName(gensDir, `del-${n}`);
      await fsp.rename(join(gensDir, String(n)), doomed);
      await fsp.rm(doomed, { recursive: true, force: true });
    }
  }

  /** The current generation's number, or null when the profile has none. */
  async currentNumber(id: string): Promise<number | null> {
    return (await this.pointers.readCurrent(id)).value;
  }

  /** Complete generations, newest first. */
  async listGenerations(id: string): Promise<GenerationInfo[]> {
    assertProfileId(id);
    const [{ complete }, current] = await Promise.all([scanGenerations(this.layout, id), this.currentNumber(id)]);
    return complete.map((g) => infoOf(id, this.layout.generationDir(id, g.n), g.manifest, g.n === current));
  }

  /**
   * The current generation of a profile (default: the active one), read from its numbered
   * directory so the files are one consistent set even if a swap happens meanwhile.
   * Null when there is none.
   */
  async readCurrent(id?: string): Promise<CurrentCredentials | null> {
    const pid = id ?? (await this.getActive());
    if (pid === null) return null;
    assertProfileId(pid);
    const n = await this.currentNumber(pid);
    if (n === null) return null;
    const dir = this.layout.generationDir(pid, n);
    const v = await verifyGeneration(dir, n);
    if (!v.ok) {
      throw new UserError('GENERATION_DAMAGED', `The current credentials of profile ${pid} (${dir}) are damaged: ${v.reason}.`, 'Run `mtls-tray rollback` to go back to the previous certificate, or `mtls-tray renew`.');
    }
    const read = (name: string) => fsp.readFile(join(dir, name), 'utf8');
    const [cert, key, headers, ca] = await Promise.all([read(FILE_NAMES.cert), read(FILE_NAMES.key), read(FILE_NAMES.headers), readFileOrNull(join(dir, FILE_NAMES.ca))]);
    return { cert, key, headers, ca, info: infoOf(pid, dir, v.manifest, true) };
  }

  /** Makes the newest complete generation older than the current one current again. */
  async rollback(id: string): Promise<GenerationInfo> {
    assertProfileId(id);
    return this.withWriteLock(`rollback ${id}`, async (lock) => {
      const current = await this.currentNumber(id);
      const { complete } = await scanGenerations(this.layout, id);
      const prev = complete.find((g) => current === null || g.n < current);
      if (!prev) {
        throw new UserError('NO_PREVIOUS_GENERATION', `Profile ${id} has no earlier certificate to roll back to.`, `See its generations with \`mtls-tray history --profile ${id}\`; \`mtls-tray renew --profile ${id}\` makes a new one.`);
      }
      await lock.assertHeld();
      await this.pointers.writeCurrent(id, prev.n);
      await this.publishIfActive(id, this.layout.generationDir(id, prev.n), prev.manifest);
      this.log.info(`profile ${id}: rolled back from generation ${current ?? 'none'} to ${prev.n}`, { profileId: id, from: current, to: prev.n });
      return infoOf(id, this.layout.generationDir(id, prev.n), prev.manifest, true);
    });
  }

  /** The active profile's id, or null. */
  async getActive(): Promise<string | null> {
    return (await this.pointers.readActive()).value;
  }

  /** Points `active` at a profile that has complete current credentials. */
  async setActive(id: string): Promise<void> {
    assertProfileId(id);
    await this.withWriteLock(`switch to ${id}`, async (lock) => {
      const n = await this.currentNumber(id);
      const v = n === null ? null : await verifyGeneration(this.layout.generationDir(id, n), n);
      if (n === null || !v?.ok) {
        const exists = (await this.listProfiles()).includes(id);
        throw new UserError(
          exists ? 'PROFILE_NOT_READY' : 'PROFILE_NOT_FOUND',
          exists ? `Profile ${id} has no certificate yet, so it cannot be made active.` : `There is no profile ${id} in ${this.layout.profilesDir}.`,
          exists ? 'Complete it first (e.g. `mtls-tray csr import-cert`).' : 'Run `mtls-tray list` to see the profiles.',
        );
      }
      await lock.assertHeld();
      await this.pointers.writeActive(id);
      await this.publishIfActive(id, this.layout.generationDir(id, n), v.manifest);
      this.log.info(`profile ${id} is active`, { profileId: id });
    });
  }

  /** What the editors read that no longer matches what this store published (published.ts). */
  async publishedDrift(): Promise<PublishedDrift[]> {
    return checkPublished(this.layout, this.pointers);
  }

  /** A live writer holds the lock: a swap may be half done, so what is published is not judged now. */
  async writerBusy(): Promise<boolean> {
    const h = await readLockHolder(this.layout.lockFile).catch(() => null);
    return h !== null && isHolderAlive(h);
  }

  /**
   * Puts back what the editors read (issue 17's "Restore"): recovery, run again even if it ran
   * already (pointers, the fixed layout's copies; a generation whose own files were changed
   * gives way to the newest intact one), then the scripts that drifted. Returns what remains.
   */
  async republish(cli?: CliInvocation): Promise<{ recovery: RecoveryReport; scripts: string[]; remaining: PublishedDrift[] }> {
    return this.withWriteLock('re-publish the active generation', async () => {
      this.lastRecovery = await recoverStore(this.layout, this.log, this.pointers);
      const scripts: string[] = [];
      for (const d of await scriptsDrift(this.layout)) {
        if (d.item === 'refresh-script' && !cli) continue;
        await ensurePrivateDir(this.scriptLocation.dir);
        const win = this.platform === 'win32';
        await writeFileAtomic(d.path, d.item === 'header-script' ? headerScriptText(this.layout) : win ? refreshScriptCmd(cli!, this.dataDir) : refreshScriptSh(cli!, this.dataDir), SCRIPT_MODE);
        scripts.push(d.path);
      }
      return { recovery: this.lastRecovery, scripts, remaining: await this.publishedDrift() };
    });
  }

  /**
   * Writes the header command (and, given how to start the CLI, the refresh script) for
   * this platform, only where the text differs from what is there: a change of
   * coder.headerCommand makes the editor ask for a reload, and rotation never changes it.
   * Returns which files were (re)written.
   */
  async installScripts(cli?: CliInvocation): Promise<{ headerCommand: boolean; refresh: boolean; notice?: string }> {
    return this.withWriteLock('install scripts', async () => {
      await ensurePrivateDir(this.scriptLocation.dir);
      const win = this.platform === 'win32';
      const header = win ? headerCommandScriptCmd(this.paths.headers) : headerCommandScriptSh(this.paths.headers);
      const headerCommand = await writeIfChanged(this.paths.headerCommand, header);
      let refresh = false;
      if (cli) {
        const text = win ? refreshScriptCmd(cli, this.dataDir) : refreshScriptSh(cli, this.dataDir);
        refresh = await writeIfChanged(this.paths.refreshCommand, text);
      }
      const notice = this.scriptLocation.notice;
      return notice ? { headerCommand, refresh, notice } : { headerCommand, refresh };
    });
  }
}

async function writeIfChanged(path: string, text: string): Promise<boolean> {
  const old = await readFileOrNull(path);
  if (old === text) {
    const mode = (await fsp.stat(path)).mode & 0o777;
    if (mode === SCRIPT_MODE || process.platform === 'win32') return false;
  }
  await writeFileAtomic(path, text, SCRIPT_MODE);
  return true;
}

export function openStore(o: StoreOptions): CredentialStore {
  return new CredentialStore(o);
}
