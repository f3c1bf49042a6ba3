/**
 * App preferences: small settings of the tray app itself (not profiles or credentials, which
 * live in the data directory where the CLI reads them). The composition root backs this with
 * electron-store (store-preferences.ts); tests and the scheduler use the in-memory one.
 * No electron import here: the scheduler and tests load this file on plain Node.
 */

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreferencesData {
  launchAtLogin: boolean;
  onboardingDone: boolean;
  windowBounds: WindowBounds | null;
  /** profileId -> ISO time until which warning notifications for it are silenced. */
  snoozes: Record<string, string>;
  /** profileId -> `${serial}/${level}` of the last warning shown, so a restart does not repeat it. */
  warningsShown: Record<string, string>;
}

export interface Preferences {
  get<K extends keyof PreferencesData>(key: K): PreferencesData[K];
  set<K extends keyof PreferencesData>(key: K, value: PreferencesData[K]): void;
}

export const DEFAULT_PREFERENCES: PreferencesData = {
  launchAtLogin: false,
  onboardingDone: false,
  windowBounds: null,
  snoozes: {},
  warningsShown: {},
};

const boundsSchema = {
  type: 'object',
  properties: {
    x: { type: 'integer' },
    y: { type: 'integer' },
    width: { type: 'integer', minimum: 200, maximum: 10000 },
    height: { type: 'integer', minimum: 200, maximum: 10000 },
  },
  required: ['x', 'y', 'width', 'height'],
  additionalProperties: false,
} as const;

/** JSON schema of each key, for electron-store (which validates every read and write with ajv). */
export const PREFERENCES_SCHEMA = {
  launchAtLogin: { type: 'boolean', default: false },
  onboardingDone: { type: 'boolean', default: false },
  windowBounds: { anyOf: [{ type: 'null' }, boundsSchema], default: null },
  snoozes: { type: 'object', additionalProperties: { type: 'string', maxLength: 40 }, default: {} },
  warningsShown: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, default: {} },
} as const;

/** Preferences held in memory: for tests, and as the fallback when the store file is unusable. */
export function createMemoryPreferences(initial: Partial<PreferencesData> = {}): Preferences {
  const data: PreferencesData = structuredClone({ ...DEFAULT_PREFERENCES, ...initial });
  return {
    get: (key) => structuredClone(data[key]),
    set: (key, value) => {
      data[key] = structuredClone(value);
    },
  };
}
