/**
 * Where a service error belongs: the step and field the user has to change. Main's errors say
 * which input they are about (`UserError.field`: the schema checks, the service's input checks,
 * the credential engine per file); this places them there. Nothing is guessed from the code.
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
  certFile: { step: 'identity', field: 'certFile' },
  keyFile: { step: 'identity', field: 'keyFile' },
  chainFile: { step: 'identity', field: 'chainFile' },
  p12File: { step: 'identity', field: 'p12File' },
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

export function fieldForError(err: { field?: string | undefined }, source: SourceKind): Place {
  const field = err.field;
  if (field !== undefined) {
    // A teammate's profile is one input: a bad field inside it is fixed by choosing another file.
    if (source === 'teammate' && field !== 'passphrase' && field !== 'editors') return { step: 'identity', field: 'teammateSource' };
    const place = Object.hasOwn(BY_FIELD, field) ? BY_FIELD[field] : bySource(field, source);
    if (place) return place;
  }
  // No field: the error is about the whole request (a bug, the disk, the deployment), shown at the end.
  return { step: 'apply', field: 'general' };
}
