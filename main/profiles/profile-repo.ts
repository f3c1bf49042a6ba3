/**
 * Where a profile's own files live beside its generations, and reading/writing them:
 *
 *   profiles/<id>/profile.json        the profile (no secrets), validated on every read
 *   profiles/<id>/ca-bundle.crt       CAs that verify the deployment's server (optional)
 *   profiles/<id>/local-ca/ca.crt     a local CA's certificate   (source local-ca)
 *   profiles/<id>/local-ca/ca.key     its key, mode 0400
 *   profiles/<id>/pending/client.key  a CSR profile's key, until the certificate arrives
 *   profiles/<id>/pending/request.csr the CSR itself, to show or save again
 *   profiles/<id>/pending/reenrol.json a re-enrolment (`csr new`): since when, and whether
 *                                     pending/client.key is a new key (else the current one)
 *   profiles/<id>/issuer.json          the issuer command: local trust, mode 0600, never
 *                                     exported (exports read profile.json only)
 *
 * Every write is atomic (temp, fsync, rename). Callers hold the store's writer lock.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../base/errors';
import { ensurePrivateDir, readFileOrNull, writeFileAtomic } from '../base/fs-atomic';
import { isProfileId } from '../base/profile-id';
import type { IssuerCommand, Profile, Reenrolment } from './profile';
import { parseProfile, serializeProfile } from './profile-schema';

export const LOCAL_CA_KEY_MODE = 0o400;

export class ProfileRepo {
  constructor(private readonly profilesDir: string) {}

  dir(id: string): string {
    if (!isProfileId(id)) throw new UserError('INVALID_PROFILE_ID', `"${id}" is not a profile id`);
    return join(this.profilesDir, id);
  }
  profileFile(id: string): string { return join(this.dir(id), 'profile.json'); }
  caBundleFile(id: string): string { return join(this.dir(id), 'ca-bundle.crt'); }
  localCaCertFile(id: string): string { return join(this.dir(id), 'local-ca', 'ca.crt'); }
  localCaKeyFile(id: string): string { return join(this.dir(id), 'local-ca', 'ca.key'); }
  pendingKeyFile(id: string): string { return join(this.dir(id), 'pending', 'client.key'); }
  pendingCsrFile(id: string): string { return join(this.dir(id), 'pending', 'request.csr'); }
  reenrolFile(id: string): string { return join(this.dir(id), 'pending', 'reenrol.json'); }
  issuerFile(id: string): string { return join(this.dir(id), 'issuer.json'); }

  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.profilesDir);
    } catch {
      return [];
    }
    const ids: string[] = [];
    for (const n of names.sort()) {
      if (isProfileId(n) && (await readFileOrNull(join(this.profilesDir, n, 'profile.json'))) !== null) ids.push(n);
    }
    return ids;
  }

  async read(id: string): Promise<Profile> {
    const file = this.profileFile(id);
    const text = await readFileOrNull(file);
    if (text === null) throw new UserError('NO_SUCH_PROFILE', `There is no profile "${id}"`, 'See the profiles with: mtls-tray list');
    const profile = parseProfile(text, file);
    if (profile.id !== id) throw new UserError('PROFILE_ID_MISMATCH', `${file} says its id is "${profile.id}", but it sits in the directory "${id}"`, 'Move the directory back, or correct the id in the file');
    return profile;
  }

  async write(profile: Profile): Promise<void> {
    const text = serializeProfile(profile);
    await ensurePrivateDir(this.dir(profile.id));
    await writeFileAtomic(this.profileFile(profile.id), text, 0o600);
  }

  async readCaBundle(id: string): Promise<string | null> {
    return readFileOrNull(this.caBundleFile(id));
  }
  async writeCaBundle(id: string, pem: string): Promise<void> {
    await writeFileAtomic(this.caBundleFile(id), pem, 0o644);
  }
  async removeCaBundle(id: string): Promise<void> {
    await rm(this.caBundleFile(id), { force: true });
  }

  async writeLocalCa(id: string, certPem: string, keyPem: string): Promise<void> {
    await ensurePrivateDir(join(this.dir(id), 'local-ca'));
    await writeFileAtomic(this.localCaCertFile(id), certPem, 0o644);
    await writeFileAtomic(this.localCaKeyFile(id), keyPem, LOCAL_CA_KEY_MODE);
  }
  async readLocalCa(id: string): Promise<{ certPem: string; keyPem: string } | null> {
    const certPem = await readFileOrNull(this.localCaCertFile(id));
    if (certPem === null) return null;
    const keyPem = await readFile(this.localCaKeyFile(id), 'utf8');
    return { certPem, keyPem };
  }

  async writePending(id: string, keyPem: string, csrPem: string): Promise<void> {
    await ensurePrivateDir(join(this.dir(id), 'pending'));
    await writeFileAtomic(this.pendingKeyFile(id), keyPem, 0o600);
    await writeFileAtomic(this.pendingCsrFile(id), csrPem, 0o644);
  }
  async readPending(id: string): Promise<{ keyPem: string; csrPem: string } | null> {
    const keyPem = await readFileOrNull(this.pendingKeyFile(id));
    const csrPem = await readFileOrNull(this.pendingCsrFile(id));
    return keyPem !== null && csrPem !== null ? { keyPem, csrPem } : null;
  }
  async clearPending(id: string): Promise<void> {
    await rm(join(this.dir(id), 'pending'), { recursive: true, force: true });
  }

  /** A re-enrolment by hand (`csr new`) of a profile that has a certificate already. */
  async writeReenrolment(id: string, r: Reenrolment): Promise<void> {
    await this.clearPending(id);
    await ensurePrivateDir(join(this.dir(id), 'pending'));
    if (r.keyPem !== null) await writeFileAtomic(this.pendingKeyFile(id), r.keyPem, 0o600);
    await writeFileAtomic(this.pendingCsrFile(id), r.csrPem, 0o644);
    await writeFileAtomic(this.reenrolFile(id), `${JSON.stringify({ since: r.since, newKey: r.keyPem !== null })}\n`, 0o600);
  }
  async readReenrolment(id: string): Promise<Reenrolment | null> {
    const meta = await readFileOrNull(this.reenrolFile(id));
    const csrPem = await readFileOrNull(this.pendingCsrFile(id));
    if (meta === null || csrPem === null) return null;
    let parsed: { since?: unknown; newKey?: unknown };
    try {
      parsed = JSON.parse(meta) as typeof parsed;
    } catch {
      return null;
    }
    const keyPem = parsed.newKey === true ? await readFileOrNull(this.pendingKeyFile(id)) : null;
    if (parsed.newKey === true && keyPem === null) return null;
    return { csrPem, keyPem, since: typeof parsed.since === 'string' ? parsed.since : '' };
  }

  hasIssuerCommand(id: string): boolean {
    return existsSync(this.issuerFile(id));
  }
  async readIssuerCommand(id: string): Promise<IssuerCommand | null> {
    const text = await readFileOrNull(this.issuerFile(id));
    if (text === null) return null;
    try {
      const o = JSON.parse(text) as { command?: unknown; timeoutSeconds?: unknown };
      if (typeof o.command !== 'string' || typeof o.timeoutSeconds !== 'number') return null;
      return { command: o.command, timeoutSeconds: o.timeoutSeconds };
    } catch {
      return null;
    }
  }
  async writeIssuerCommand(id: string, ic: IssuerCommand | null): Promise<void> {
    if (ic === null) await rm(this.issuerFile(id), { force: true });
    else await writeFileAtomic(this.issuerFile(id), `${JSON.stringify(ic, null, 2)}\n`, 0o600);
  }
}
