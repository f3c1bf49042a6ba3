/** What the re-enrolment tests compare: the data dir's files, the served credentials, the key. */
import { createHash, createPublicKey } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { World } from './cli-harness';

export const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file and link under the data dir (the writer lock aside), with its content hash. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (/lock/i.test(n)) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[p] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[p] = sha(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export function current(w: World, file: string): string {
  return readFileSync(join(w.dataDir, 'active', 'current', file), 'utf8');
}

export function keyFingerprint(w: World): string {
  return sha(createPublicKey(current(w, 'client.key')).export({ type: 'spki', format: 'der' }));
}

