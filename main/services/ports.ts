/**
 * What the AppService needs from the editor-settings writer and the doctor, in the service's
 * own words. The adapters (settings-adapter.ts, doctor-adapter.ts) map them onto those
 * modules, which keeps this service readable and lets tests see the seams.
 */
import type { DoctorInput } from '../doctor/types';
import type { EditorTarget, TargetSelection } from '../settings/editor-discovery';
import type { DoctorReportDto, SettingsFileResultDto } from './app-service';

export type { EditorTarget, TargetSelection } from '../settings/editor-discovery';

export interface SettingsPort {
  discover(): EditorTarget[];
  /** The settings layer's selection (selectTargets) over what discover() finds. */
  select(sel: TargetSelection): EditorTarget[];
  apply(target: EditorTarget, desired: Record<string, string | undefined>, opts: { proxyConsent: boolean; dryRun: boolean }): Promise<SettingsFileResultDto>;
  /** `ownedValues`: our stable values, so a file without a backup record still loses exactly our keys. */
  remove(target: EditorTarget, opts: { dryRun: boolean; ownedValues?: Record<string, string | undefined> }): Promise<SettingsFileResultDto>;
  read(target: EditorTarget): Promise<{ exists: boolean; values: Record<string, unknown> }>;
}


/** The doctor's own input type: the service hands it what it read from disk and settings. */
export interface DoctorPort {
  run(input: DoctorInput): Promise<DoctorReportDto>;
}
