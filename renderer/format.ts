/**
 * How certificate facts read to a person who does not know what a SAN is: dates, days left,
 * key names, status words with a symbol (status is never colour alone). Pure functions, no DOM,
 * so they are unit-tested on plain Node.
 */
import { describeTimeLeft } from '../main/base/time-left';
import type { CertificateReportDto, ProfileSummaryDto, StatusDto, WarningDto } from '../main/ipc/contract';

const DAY_MS = 86_400_000;

export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "12 days left", "5 hours left", "expired 3 days ago": the CLI's and the tray's words (base/time-left.ts). */
export function daysLeftText(days: number | null | undefined): string {
  if (days === null || days === undefined || Number.isNaN(days)) return 'no certificate yet';
  return describeTimeLeft(days);
}

export function keyLabel(key: CertificateReportDto['key']): string {
  const alg = key.algorithm.toUpperCase();
  if (key.curve) return `${alg === 'EC' ? 'ECDSA' : alg} ${key.curve}`;
  if (key.size) return `${alg} ${key.size}-bit`;
  return alg;
}

export interface LevelInfo {
  /** A word for screen readers and for anyone who cannot tell the colours apart. */
  label: string;
  /** A symbol shown beside the word. */
  symbol: string;
  /** CSS modifier: ok | warn | bad | info. */
  tone: 'ok' | 'warn' | 'bad' | 'info';
}

export function levelInfo(level: ProfileSummaryDto['level']): LevelInfo {
  switch (level) {
    case 'ok':
      return { label: 'Valid', symbol: '✓', tone: 'ok' };
    case 'expiring':
      return { label: 'Expiring soon', symbol: '!', tone: 'warn' };
    case 'expired':
      return { label: 'Expired', symbol: '✕', tone: 'bad' };
    case 'pending':
      return { label: 'Waiting for certificate', symbol: '…', tone: 'info' };
    default:
      return { label: 'Needs attention', symbol: '✕', tone: 'bad' };
  }
}

export function severityInfo(severity: WarningDto['severity']): LevelInfo {
  if (severity === 'error') return { label: 'Problem', symbol: '✕', tone: 'bad' };
  if (severity === 'warning') return { label: 'Warning', symbol: '!', tone: 'warn' };
  return { label: 'Note', symbol: 'i', tone: 'info' };
}

export function checkInfo(status: 'pass' | 'warn' | 'fail' | 'skip'): LevelInfo {
  switch (status) {
    case 'pass':
      return { label: 'Passed', symbol: '✓', tone: 'ok' };
    case 'warn':
      return { label: 'Warning', symbol: '!', tone: 'warn' };
    case 'fail':
      return { label: 'Failed', symbol: '✕', tone: 'bad' };
    default:
      return { label: 'Skipped', symbol: '–', tone: 'info' };
  }
}

const SAN_KINDS: Record<string, string> = { DNS: 'Host name', IP: 'IP address', email: 'Email', URI: 'URI' };

/** `DNS:host` -> { kind: 'Host name', value: 'host' } so the list reads without the jargon. */
export function describeSan(san: string): { kind: string; value: string } {
  const i = san.indexOf(':');
  const prefix = i > 0 ? san.slice(0, i) : '';
  const kind = Object.entries(SAN_KINDS).find(([k]) => k.toLowerCase() === prefix.toLowerCase());
  return kind ? { kind: kind[1], value: san.slice(i + 1) } : { kind: 'Name', value: san };
}

export interface ValidityBar {
  /** Share of the lifetime already used, 0..1. */
  used: number;
  /** Where the planned renewal falls, 0..1, or null when there is none. */
  renewAt: number | null;
  tone: LevelInfo['tone'];
}

/**
 * The bar follows the main process's clock (`lifetimeUsed`, `daysLeft`), not the page's, so
 * bar, words and warnings always agree.
 */
export function validityBar(report: CertificateReportDto, renewal: StatusDto['renewal']): ValidityBar {
  const start = Date.parse(report.notBefore);
  const end = Date.parse(report.notAfter);
  const life = end - start;
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const used = clamp(report.lifetimeUsed);
  let renewAt: number | null = null;
  if (renewal?.renewAt && life > 0) renewAt = clamp((Date.parse(renewal.renewAt) - start) / life);
  const tone = report.daysLeft < 0 ? 'bad' : report.warnings.some((w) => w.code === 'EXPIRING_SOON') || (renewAt !== null && used >= renewAt) ? 'warn' : 'ok';
  return { used, renewAt, tone };
}

export function lifetimeDays(report: CertificateReportDto): number {
  return Math.round((Date.parse(report.notAfter) - Date.parse(report.notBefore)) / DAY_MS);
}

/** Fingerprints wrap badly as one 95-character word; split into groups of 8 bytes. */
export function fingerprintLines(fp: string): string[] {
  const bytes = fp.includes(':') ? fp.split(':') : fp.match(/.{1,2}/g) ?? [fp];
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) lines.push(bytes.slice(i, i + 8).join(':').toUpperCase());
  return lines;
}

export const KEY_ALGORITHM_LABELS: Record<string, string> = {
  'ecdsa-p256': 'ECDSA P-256 (recommended: small and fast)',
  'ecdsa-p384': 'ECDSA P-384',
  'rsa-2048': 'RSA 2048-bit (for old servers)',
  'rsa-3072': 'RSA 3072-bit',
  'rsa-4096': 'RSA 4096-bit (slow to generate)',
};

export const SOURCE_LABELS: Record<string, string> = {
  'self-signed': 'Self-signed',
  csr: 'Issued by your CA (certificate request)',
  'local-ca': 'Local CA on this machine',
  imported: 'Imported',
};
