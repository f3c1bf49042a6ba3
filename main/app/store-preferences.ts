/**
 * Preferences backed by electron-store: a JSON file in the app's userData directory, validated
 * against PREFERENCES_SCHEMA on every read and write, written atomically. electron-store imports
 * electron at load, so only the composition root (main.ts) may import this file.
 */
import Store, { type Schema } from 'electron-store';
import { createMemoryPreferences, DEFAULT_PREFERENCES, PREFERENCES_SCHEMA, type Preferences, type PreferencesData } from './preferences';

export function createStorePreferences(log: (message: string) => void): Preferences {
  try {
    const store = new Store<PreferencesData>({
      name: 'preferences',
      schema: PREFERENCES_SCHEMA satisfies Schema<PreferencesData>,
      defaults: DEFAULT_PREFERENCES,
      // A hand-edited or truncated file resets to defaults instead of stopping the app.
      clearInvalidConfig: true,
    });
    return {
      // A key missing from an old or hand-edited file reads as its default, never undefined.
      get: (key) => store.get(key, structuredClone(DEFAULT_PREFERENCES[key])),
      set: (key, value) => store.set(key, value),
    };
  } catch (err) {
    log(`preferences unavailable, keeping them in memory for this run: ${err instanceof Error ? err.message : String(err)}`);
    return createMemoryPreferences();
  }
}
