/**
 * What every view receives from the shell: the API, a way to move to another view, and a live
 * region for announcements (screen readers hear results that appear without a page change).
 */
import type { Api } from './api';

export type Route =
  /** `section`: scrolled to and focused after drawing (the tray opens the re-enrolment parts this way). */
  | { view: 'status'; profileId?: string; section?: 'reenrol' | 'issuer' }
  | { view: 'profiles' }
  /** `source`: a link or file opened with the app (tray, OS handler), reviewed at once. */
  | { view: 'import'; source?: { link: string } | { file: string }; name?: string }
  | { view: 'wizard'; firstRun: boolean };

export interface AppContext {
  api: Api;
  navigate(route: Route): void;
  /** Draws the current view again with fresh data (after an action, or a state-changed event). */
  refresh(): void;
  announce(message: string): void;
}
