/**
 * Issue 17's drift as the AppService reports it (re-exported by app-service.ts): what changed
 * outside mtls-tray, per source, what the tray's watch should say, and what Restore and Keep
 * theirs did. Plain JSON, no private key.
 */
import type { EditorId } from '../base/vocabulary';
import type { SettingsFileResultDto } from './app-service';

/**
 * Something of ours changed outside mtls-tray (issue 17): a coder.* key of an editor whose
 * settings.json mtls-tray manages, or a file under the data dir that the editors read.
 */
export interface DriftFindingDto {
  /** What Restore and Keep theirs name: the editor's settings.json path, or "files" (the data dir's published files). */
  source: string;
  kind: 'setting' | 'file';
  /** The coder.* key, or the path of the file. */
  what: string;
  /** E.g. "coder.tlsCertFile in Cursor now points at /x, not at mtls-tray's file (…)". */
  message: string;
  /** What to run in a terminal (the window offers Restore and Keep theirs). */
  fix: string;
}

/** One drifted source: an editor's settings.json, or the data dir's published files. */
export interface DriftSourceDto {
  source: string;
  kind: 'settings' | 'files';
  editor: EditorId | 'custom' | null;
  /** "Cursor", or "mtls-tray's files". */
  name: string;
  findings: DriftFindingDto[];
  /** A Restore was undone soon after (the restore-loop guard): mtls-tray will not restore it again; why, in a sentence. */
  stopped: string | null;
  /** "Keep theirs" applies (an editor, not the files). */
  canKeepTheirs: boolean;
}

export interface DriftReportDto {
  checkedAt: string;
  /** Only the sources that drifted. */
  sources: DriftSourceDto[];
  /** Editors whose own values the user kept. */
  kept: Array<{ editor: EditorId | 'custom'; name: string; settingsPath: string; since: string }>;
  /** A writer held the lock (a swap in progress): the files were not judged this time. */
  filesBusy: boolean;
  /** The files whose change matters (settings files, pointers, published files, scripts), for a watcher. */
  watch: string[];
}

/** What the tray's drift watch should tell the user after a check. */
export interface DriftNoticeDto {
  kind: 'drift' | 'loop';
  title: string;
  body: string;
  /** What "Restore" restores (empty: not offered). */
  restore: string[];
  /** The one editor "Keep theirs" applies to, when the notice is about exactly one editor. */
  keepTheirs: string | null;
}

export interface DriftActionResultDto {
  source: string;
  ok: boolean;
  message: string;
  /** Restore of an editor: the one settings write. */
  settings?: SettingsFileResultDto;
}
