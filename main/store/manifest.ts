// generation.json: written last into a generation, it says what the generation holds and
// how it came to be (for the history list), and lets recovery tell a complete generation
// from a damaged one by checking every file against its SHA-256. No secrets in it.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isoSeconds, type CertFacts } from './cert-facts';
import { FILE_NAMES } from './layout';

/** What made a generation; free text is allowed for callers with their own operations. */
export type GenerationOperation = 'create' | 'import' | 'renew' | 'rotate' | 'csr-complete' | (string & {});

export interface GenerationManifest {
  schema: 1;
  number: number;
  createdAt: string;
  operation: GenerationOperation;
  cert: { sha256: string; spkiSha256: string; serial: string; notBefore: string; notAfter: string };
  /** File name -> SHA-256 (hex) of its bytes. */
  files: Record<string, string>;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildManifest(number: number, createdAt: Date, operation: GenerationOperation, facts: CertFacts, files: Record<string, string>): GenerationManifest {
  return {
    schema: 1,
    number,
    createdAt: createdAt.toISOString(),
    operation,
    cert: {
      sha256: facts.sha256,
      spkiSha256: facts.spkiSha256,
      serial: facts.serial,
      notBefore: isoSeconds(facts.notBefore),
      notAfter: isoSeconds(facts.notAfter),
    },
    files: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sha256Hex(text)])),
  };
}

export type Verdict = { ok: true; manifest: GenerationManifest } | { ok: false; reason: string };

/** Whether `dir` holds generation `n` complete and intact. */
export async function verifyGeneration(dir: string, n: number): Promise<Verdict> {
  let manifest: GenerationManifest;
  try {
    manifest = JSON.parse(await fsp.readFile(join(dir, FILE_NAMES.manifest), 'utf8')) as GenerationManifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `no ${FILE_NAMES.manifest}` : `unreadable ${FILE_NAMES.manifest}` };
  }
  if (manifest?.schema !== 1 || manifest.number !== n || typeof manifest.files !== 'object' || manifest.files === null) {
    return { ok: false, reason: `${FILE_NAMES.manifest} does not describe generation ${n}` };
  }
  for (const required of [FILE_NAMES.cert, FILE_NAMES.key, FILE_NAMES.headers]) {
    if (!(required in manifest.files)) return { ok: false, reason: `${FILE_NAMES.manifest} lists no ${required}` };
  }
  for (const [name, hash] of Object.entries(manifest.files)) {
    if (name.includes('/') || name.includes('\\')) return { ok: false, reason: `bad file name ${name}` };
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(join(dir, name));
    } catch {
      return { ok: false, reason: `${name} is missing` };
    }
    if (sha256Hex(bytes) !== hash) return { ok: false, reason: `${name} does not match its checksum` };
  }
  return { ok: true, manifest };
}
