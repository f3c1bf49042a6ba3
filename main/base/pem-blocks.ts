/**
 * Splits PEM text into its `-----BEGIN X-----` … `-----END X-----` blocks in one linear pass
 * (indexOf only, no backtracking regex, no repeated replace): a CA bundle or a shared profile
 * is untrusted input, and the regex + `reduce(replace)` it replaced took 20–60 s on 1 MiB.
 */
export interface PemBlockScan {
  /** Each complete block, exactly as it appears in the text. */
  blocks: string[];
  /** Its label (`CERTIFICATE`, `PRIVATE KEY`...), by index. */
  labels: string[];
  /** Whether any non-whitespace text lies outside the blocks (or a block is unterminated). */
  leftover: boolean;
}

const BEGIN = '-----BEGIN ';
const LABEL = /^[A-Z0-9 ]{1,64}$/;

export function scanPemBlocks(text: string): PemBlockScan {
  const blocks: string[] = [];
  const labels: string[] = [];
  let leftover = false;
  let pos = 0;
  // A label whose END is not found from one position is not found from any later one:
  // remember it, so an unterminated block never makes us rescan (a few distinct ones at most).
  const unterminated = new Set<string>();
  const gap = (from: number, to: number): void => {
    if (!leftover && text.slice(from, to).trim() !== '') leftover = true;
  };
  for (;;) {
    const start = text.indexOf(BEGIN, pos);
    if (start < 0) {
      gap(pos, text.length);
      break;
    }
    const labelEnd = text.indexOf('-----', start + BEGIN.length);
    const label = labelEnd < 0 ? '' : text.slice(start + BEGIN.length, labelEnd);
    if (!LABEL.test(label)) {
      // Not a block opener: it is text outside any block; look further.
      leftover = true;
      gap(pos, start);
      pos = start + BEGIN.length;
      continue;
    }
    const endMarker = `-----END ${label}-----`;
    const end = unterminated.has(label) ? -1 : text.indexOf(endMarker, labelEnd + 5);
    if (end < 0) {
      // Unterminated: its text is outside any block.
      leftover = true;
      unterminated.add(label);
      if (unterminated.size > 8) break;
      pos = labelEnd + 5;
      continue;
    }
    gap(pos, start);
    const stop = end + endMarker.length;
    blocks.push(text.slice(start, stop));
    labels.push(label);
    pos = stop;
  }
  return { blocks, labels, leftover };
}

/**
 * Most certificates a CA bundle may hold. Mozilla's whole public root store is about 150;
 * parsing costs ~0.2 ms a certificate, so 1 MiB of them (~1,800) would block for 0.3–0.6 s.
 */
export const MAX_BUNDLE_CERTS = 500;

/** The blocks without exact repeats, so a bundle of one certificate copied 1,000 times parses once. */
export function distinctBlocks(blocks: readonly string[]): string[] {
  return [...new Set(blocks)];
}
