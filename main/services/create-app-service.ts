/**
 * The AppService over a data directory, composed from one module per use case (enrol,
 * renewal, profiles, editors, sharing, local CA, doctor), each a set of functions of a shared
 * ServiceContext. The CLI creates one per run; the tray app keeps one for its lifetime.
 * No electron here.
 */
import type { AppService } from './app-service';
import { createServiceContext, type AppServiceOptions } from './context';
import * as doctor from './doctor';
import * as drift from './drift';
import { DriftGuard } from './drift-guard';
import * as edit from './edit';
import * as editors from './editors';
import * as enrol from './enrol';
import * as localCa from './local-ca';
import * as profiles from './profiles';
import * as reenrol from './reenrol';
import * as renewal from './renewal';
import * as sharing from './sharing';
import * as trust from './trust';

export type { AppServiceOptions, ServiceContext } from './context';

export function createAppService(o: AppServiceOptions): AppService {
  const ctx = createServiceContext(o);
  // The restore-loop guard lives as long as this service (the tray's: the app's lifetime).
  const guard = new DriftGuard();
  return {
    listProfiles: () => profiles.listProfiles(ctx),
    status: (id) => profiles.status(ctx, id),
    switchProfile: (id) => profiles.switchProfile(ctx, id),
    renameProfile: (id, name) => profiles.renameProfile(ctx, id, name),
    deleteProfile: (id) => profiles.deleteProfile(ctx, id),
    editProfile: (req) => edit.editProfile(ctx, req),
    history: (id) => profiles.history(ctx, id),
    init: (req) => enrol.init(ctx, req),
    renew: (id) => renewal.renew(ctx, id),
    rotate: (id) => renewal.rotate(ctx, id),
    rollback: (id) => renewal.rollback(ctx, id),
    refresh: () => renewal.refresh(ctx),
    csrImportCert: (certPem, id, settings) => renewal.csrImportCert(ctx, certPem, id, settings),
    pendingCsr: (id) => renewal.pendingCsr(ctx, id),
    csrNew: (id, opts) => reenrol.csrNew(ctx, id, opts),
    setIssuerCommand: (id, opts) => reenrol.setIssuerCommand(ctx, id, opts),
    exportProfile: (id, opts) => sharing.exportProfile(ctx, id, opts),
    exportLink: (id) => sharing.exportLink(ctx, id),
    previewImport: (text, o) => sharing.previewImport(ctx, text, o),
    importProfile: (text, opts) => sharing.importProfile(ctx, text, opts),
    applySettings: (req) => editors.applySettings(ctx, req),
    previewSettings: (req) => editors.previewSettings(ctx, req),
    removeSettings: (req) => editors.removeSettings(ctx, req),
    showSettings: (req) => editors.showSettings(ctx, req),
    detectEditors: () => editors.detectEditors(ctx),
    doctor: (id) => doctor.doctor(ctx, id),
    checkDeployment: (url, altHost, ca) => doctor.checkDeployment(ctx, url, altHost, ca),
    caSign: (csrPem, opts) => localCa.caSign(ctx, csrPem, opts),
    caCert: (id) => localCa.caCert(ctx, id),
    trustSnippet: (id, req) => trust.trustSnippet(ctx, id, req),
    driftReport: () => drift.driftReport(ctx, guard),
    observeDrift: () => drift.observeDrift(ctx, guard),
    restoreDrift: (source) => drift.restoreDrift(ctx, guard, source),
    keepTheirs: (source) => drift.keepTheirs(ctx, guard, source),
  };
}
