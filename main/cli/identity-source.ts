/**
 * init's source flags (exactly one of --self-signed, --csr, --local-ca, --import-pem,
 * --import-p12, --from-profile) turned into what the service needs, with the named files read
 * here so their errors name them.
 */
import type { IdentityInput } from '../services/app-service';
import { list, str, UsageError, type ParsedArgs } from './args';
import type { CommandContext } from './command';

const SOURCES = ['self-signed', 'csr', 'local-ca', 'import-pem', 'import-p12', 'from-profile'] as const;

export interface InitSource {
  identity?: IdentityInput;
  /** --from-profile: a file or link to import instead. */
  profileSource?: string;
  /** --csr OUT.csr, absolute. */
  csrOut?: string;
  passphrase?: string;
  /** --import-p12 without --passphrase-file: the empty passphrase is tried. */
  passphraseGuessed?: boolean;
}

export async function initSource(v: ParsedArgs['values'], ctx: CommandContext): Promise<InitSource> {
  const chosen = SOURCES.filter((k) => v[k] !== undefined && v[k] !== false);
  if (chosen.length !== 1) {
    throw new UsageError(chosen.length === 0 ? 'init needs a source: --self-signed, --csr OUT.csr, --local-ca, --import-pem CERT KEY, --import-p12 FILE or --from-profile FILE' : `init takes one source, not ${chosen.map((c) => `--${c}`).join(' and ')}`);
  }
  const passphrase = await ctx.readPassphrase(str(v['passphrase-file']));
  switch (chosen[0]) {
    case 'self-signed':
      return { identity: { kind: 'self-signed' } };
    case 'local-ca':
      return { identity: { kind: 'local-ca' } };
    case 'csr':
      return { identity: { kind: 'csr' }, csrOut: ctx.path(str(v.csr)!) };
    case 'import-pem': {
      const files = list(v['import-pem']);
      if (files.length !== 2) throw new UsageError('--import-pem takes two files: --import-pem CERT --import-pem KEY (or CERT KEY in that order)');
      const identity: IdentityInput = {
        kind: 'import-pem',
        certPem: ctx.readText(files[0]!, 'certificate file'),
        keyPem: ctx.readText(files[1]!, 'key file'),
      };
      const chain = str(v.chain);
      if (chain) identity.chainPem = ctx.readText(chain, 'chain file');
      if (passphrase !== undefined) identity.passphrase = passphrase;
      return { identity };
    }
    case 'import-p12': {
      // No --passphrase-file: try the empty passphrase (password-less .p12 files exist); init
      // words a wrong guess as "give --passphrase-file" (passphraseGuessed).
      return { identity: { kind: 'import-p12', p12: ctx.readBinary(str(v['import-p12'])!, 'PKCS#12 file'), passphrase: passphrase ?? '' }, passphraseGuessed: passphrase === undefined };
    }
    default:
      return { profileSource: str(v['from-profile'])!, ...(passphrase !== undefined ? { passphrase } : {}) };
  }
}
