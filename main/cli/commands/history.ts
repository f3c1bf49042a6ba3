/** `history`: a profile's generations (number, serial, fingerprint, validity, which is in use). */
import { profileCommand } from '../options';

export const historyCommand = profileCommand({
  name: 'history',
  summary: "list a profile's generations: number, serial, fingerprint, validity, in use",
  async run({ service }, profile) {
    const h = await service.history(profile);
    const lines = [`Generations of ${h.name} (${h.profileId})${h.active ? '' : ' (not the active profile: the editors use another one)'}:`];
    if (h.generations.length === 0) lines.push('  (none yet)');
    for (const g of h.generations) {
      lines.push(`${g.current ? '*' : ' '} ${String(g.number).padStart(3)}  ${(g.operation ?? '').padEnd(12)} ${g.createdAt}  serial ${g.serial.slice(0, 16)}  sha256 ${g.fingerprintSha256.slice(0, 16)}  ${g.notBefore ?? '?'} .. ${g.notAfter}${g.current ? '  (in use)' : ''}`);
    }
    if (h.generations.length > 1) lines.push(`Go back one with: mtls-tray rollback --profile ${h.profileId}`);
    return { json: h, text: lines.join('\n') };
  },
});
