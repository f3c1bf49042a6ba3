/**
 * Where a service error belongs: the step and field the user has to change. Errors from the
 * schema checks in main (profile files, IPC arguments, the deployment URL) say which input
 * they are about (`field`); this places them there. Others are placed by their code.
 */
import type { FieldId, SourceKind, StepId } from './wizard-state';

type Place = { step: StepId; field: FieldId };

/** Main's input names (UserError.field) -> the wizard's inputs. */
const BY_FIELD: Readonly<Record<string, Place>> = {
  url: { step: 'deployment', field: 'url' },
  altHost: { step: 'deployment', field: 'altHost' },
  caBundle: { step: 'deployment', field: 'caBundle' },
  caBundleFile: { step: 'deployment', field: 'caBundle' },
  name: { step: 'deployment', field: 'name' },
  sans: { step: 'keys', field: 'sans' },
  keyAlgorithm: { step: 'keys', field: 'keyAlgorithm' },
  days: { step: 'keys', field: 'days' },
  headers: { step: 'headers', field: 'headers' },
  editors: { step: 'editors', field: 'editors' },
};

/** Inputs whose place depends on the identity source the user chose. */
function bySource(field: string, source: SourceKind): Place | undefined {
  if (field === 'passphrase') return passphrasePlace(source);
  if (field === 'identity') {
    if (source === 'import-p12') return { step: 'identity', field: 'p12File' };
    if (source === 'import-pem') return { step: 'identity', field: 'certFile' };
    if (source === 'teammate') return { step: 'identity', field: 'teammateSource' };
    return { step: 'identity', field: 'source' };
  }
  return undefined;
}

function passphrasePlace(source: SourceKind): Place {
  if (source === 'import-p12') return { step: 'identity', field: 'p12Passphrase' };
  if (source === 'teammate') return { step: 'review-import', field: 'teammatePassphrase' };
  return { step: 'identity', field: 'keyPassphrase' };
}

export function fieldForError(err: { code: string; field?: string | undefined }, source: SourceKind): Place {
  const field = err.field;
  if (field !== undefined) {
    // A teammate's profile is one input: a bad field inside it is fixed by choosing another file.
    if (source === 'teammate' && field !== 'passphrase' && field !== 'editors') return { step: 'identity', field: 'teammateSource' };
    const place = Object.hasOwn(BY_FIELD, field) ? BY_FIELD[field] : bySource(field, source);
    if (place) return place;
  }
  return guessFromCode(err.code, source);
}

/**
 * The fallback for errors that name no field: a guess from the code. Still needed because
 * errors raised by the service's own checks (main/services, the credential engine, the
 * header rules) do not carry `field` yet.
 */
function guessFromCode(code: string, source: SourceKind): Place {
  const c = code.toUpperCase();
  if (/PASSPHRASE|DECRYPT|MAC_/.test(c)) return passphrasePlace(source);
  if (/URL|UNREACHABLE|DNS/.test(c)) return { step: 'deployment', field: 'url' };
  if (/ALT_HOST|HOSTNAME/.test(c)) return { step: 'deployment', field: 'altHost' };
  if (/CA_BUNDLE/.test(c)) return { step: 'deployment', field: 'caBundle' };
  if (/^INVALID_NAME$|NAME_(TAKEN|INVALID|EXISTS)|PROFILE_EXISTS/.test(c)) return { step: 'deployment', field: 'name' };
  if (source === 'teammate' && /PROFILE|LINK|IDENTITY/.test(c)) {
    return { step: 'identity', field: 'teammateSource' };
  }
  if (/P12|PKCS12|PFX/.test(c)) return { step: 'identity', field: 'p12File' };
  if (/KEY_(UNREADABLE|MISMATCH|ENCRYPTION)|NOT_A_PRIVATE_KEY|MULTIPLE_KEYS|KEY_ALGORITHM_UNSUPPORTED/.test(c) && (source === 'import-pem' || source === 'import-p12')) {
    return { step: 'identity', field: source === 'import-p12' ? 'p12File' : 'keyFile' };
  }
  if (/KEY_ALGORITHM/.test(c)) return { step: 'keys', field: 'keyAlgorithm' };
  if (/CHAIN/.test(c) && source === 'import-pem') return { step: 'identity', field: 'chainFile' };
  if (/^(CERT|PEM|NOT_PEM)/.test(c) && source === 'import-pem') return { step: 'identity', field: 'certFile' };
  if (/SAN|COMMON_NAME/.test(c)) return { step: 'keys', field: 'sans' };
  if (/DAYS|VALIDITY/.test(c)) return { step: 'keys', field: 'days' };
  if (/HEADER/.test(c)) return { step: 'headers', field: 'headers' };
  if (/SETTINGS|JSONC|EDITOR/.test(c)) return { step: 'editors', field: 'editors' };
  return { step: 'apply', field: 'general' };
}
