// Profile ids become directory names under profiles/, so they are checked here again
// whatever the caller already did: a bad id must never turn into a path.
import { UserError } from './errors';

import { PROFILE_ID_PATTERN } from './vocabulary';

export function isProfileId(id: unknown): id is string {
  return typeof id === 'string' && PROFILE_ID_PATTERN.test(id);
}

export function assertProfileId(id: string): string {
  if (!isProfileId(id)) {
    throw new UserError(
      'PROFILE_ID_INVALID',
      `"${String(id).slice(0, 80)}" is not a valid profile id: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit.`,
      'Pick a name like "acme-prod"; run `mtls-tray list` to see existing profiles.',
    );
  }
  return id;
}
