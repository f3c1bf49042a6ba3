/** What is on disk, as inode + content hash, to prove that nothing was written (a rename changes the inode). */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every entry under a directory: relative path → inode and content hash (link target for symlinks). */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const rel = relative(root, p);
      if (st.isSymbolicLink()) out[rel] = `link ${st.ino} ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[rel] = `${st.ino} ${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}`;
    }
  };
  walk(root);
  return out;
}

/** One file's inode and content hash. */
export function fileState(file: string): string {
  const st = lstatSync(file);
  return `${st.ino} ${createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)}`;
}
