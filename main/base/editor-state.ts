/**
 * What is known about one editor's settings.json, defined once for the settings layer's view
 * (`EditorSettingsState`) and the JSON the CLI prints and the window reads (`EditorStateDto`).
 * Types only; renderer-safe.
 */
import type { EditorId } from './vocabulary';

export interface EditorStateFields {
  id: EditorId | 'custom';
  name: string;
  settingsPath: string;
  installed: boolean;
  /** Its coder.* values point at our stable paths. */
  configured: boolean;
  /** The coder.* keys whose value in the file differs from what the profile needs. */
  mismatched: string[];
  /** http.proxySupport as VS Code reads it. */
  proxySupport: string | null;
  /** The file cannot be read (e.g. invalid JSONC): "cannot read settings.json: line:col …" and the fix. */
  error?: { code: string; message: string; fix?: string };
}
