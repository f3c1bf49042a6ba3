// Renew and rotate: each makes exactly one new generation of a profile, under the writer
// lock, from the current one. Renew keeps the key (so any mix of old and new files a
// reader picks up still pairs); rotate makes a new key, and its swap is a single rename.
// The renewal use case builds these on the store's primitives (readCurrent, writeGeneration,
// the writer lock); the store itself knows nothing of certificates being made.
import type { San } from '../credentials/reading';
import { UserError } from '../base/errors';
import type { KeyAlgorithm } from '../base/vocabulary';
import type { RenewOptions } from '../credentials/making';
import { renderHeadersFile, validateHeaders, type HeaderSpec } from '../store/headers';
import type { CredentialStore, GenerationInfo } from '../store/store';

/** The two engine calls we need; tests may pass a fake, callers normally leave the default. */
export interface ReissueEngine {
  generateKey(alg: KeyAlgorithm): Promise<string>;
  renewCertificate(o: RenewOptions): Promise<string>;
}

// The engine is loaded on first use: importing the store (as every CLI command does) must
// not initialise the certificate-making code, which only renew and rotate need.
// (A lazy `require`, for the reason given at context.ts's `making`.)
const engine = (): typeof import('../credentials/making') => require('../credentials/making');
export const defaultEngine: ReissueEngine = {
  generateKey: async (alg) => engine().generateKey(alg),
  renewCertificate: async (o) => engine().renewCertificate(o),
};

export interface ReissueOptions {
  /** Validity of the new certificate. */
  days: number;
  /** The profile's header specs, rendered against the new certificate. */
  headers: readonly HeaderSpec[];
  /** The local CA (cert + key, loaded by the caller) for a local-CA profile; else self-signed. */
  issuer?: { certPem: string; keyPem: string };
  /** The profile's SANs (they may have been edited since the last certificate). */
  sans?: San[];
  /** A new CA bundle; default: the current generation's, carried over. null removes it. */
  ca?: string | null;
  now?: Date;
  engine?: ReissueEngine;
}

export interface RotateOptions extends ReissueOptions {
  keyAlgorithm: KeyAlgorithm;
}

async function reissue(store: CredentialStore, id: string, o: ReissueOptions, newKey: string | null): Promise<GenerationInfo> {
  validateHeaders(o.headers);
  const operation = newKey ? 'rotate' : 'renew';
  const engine = o.engine ?? defaultEngine;
  return store.withWriteLock(`${operation} ${id}`, async () => {
    const cur = await store.readCurrent(id);
    if (!cur) {
      throw new UserError('NO_CERTIFICATE', `Profile ${id} has no certificate to ${operation}.`, 'Create one first with `mtls-tray init`.');
    }
    const key = newKey ?? cur.key;
    const now = o.now ?? new Date();
    const cert = await engine.renewCertificate({ certPem: cur.cert, keyPem: key, days: o.days, ...(o.issuer ? { issuer: o.issuer } : {}), ...(o.sans?.length ? { sans: o.sans } : {}), now });
    return store.writeGeneration(id, { cert, key, ca: o.ca === undefined ? cur.ca : o.ca, headers: renderHeadersFile(o.headers, cert) }, { operation, now });
  });
}

/** Same key, new certificate. */
export function renewProfile(store: CredentialStore, id: string, o: ReissueOptions): Promise<GenerationInfo> {
  return reissue(store, id, o, null);
}

/** New key and certificate, same subject and SANs. The key is made before the lock is taken
 *  (RSA-4096 can take seconds), so other writers are not held up by it. */
export async function rotateProfile(store: CredentialStore, id: string, o: RotateOptions): Promise<GenerationInfo> {
  validateHeaders(o.headers);
  const key = await (o.engine ?? defaultEngine).generateKey(o.keyAlgorithm);
  return reissue(store, id, o, key);
}
