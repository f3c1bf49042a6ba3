// Certificate serial numbers: random (CA/B Forum asks for >= 64 bits; we use >= 128 so
// collisions are not a concern even across many local CAs), positive and minimally encoded.
import { randomBytes } from 'node:crypto';

/** 17 bytes as hex: a first byte 0x01..0x7f (positive, no leading zero) + 128 random bits. */
export function randomSerialHex(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(17);
  bytes[0] = ((bytes[0] ?? 0) % 0x7f) + 1;
  return bytes.toString('hex');
}
