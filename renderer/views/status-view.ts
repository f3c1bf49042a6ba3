/**
 * The status view: the active profile (or one picked from the list) with its warnings first,
 * each with the buttons that fix it (warning-actions.ts), then the certificate, files, editors,
 * history, and the other profiles. A profile waiting for its CA shows that first: what to send,
 * where, and the import. Returns null when there is no profile at all (the shell starts the wizard).
 */
import type { ProfileSummaryDto, WarningDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { daysLeftText, formatDateTime, levelInfo, severityInfo, SOURCE_LABELS } from '../format';
import { checksList, checksSummary, reportDetails } from '../ui/checks-view';
import { asyncButton, badge, section } from '../ui/components';
import { openSettingsDialog } from '../ui/settings-dialog';
import { checkPlan, warningPlan } from '../fix-wording';
import { capabilitiesOf, SNOOZE_HOURS } from '../warning-actions';
import { certificateSection } from './certificate-card';
import { pendingCsrSection } from './csr-section';
import { driftSection } from './drift-section';
import { failureFor, fixBlock, fixButton, fixParts, type FixTarget } from './fix-actions';
import { historySection } from './history-section';
import { localCaSection } from './local-ca-section';
import { statusProfileButtons } from './profile-actions';
import { reenrolSection } from './reenrol-section';
import { editorsSection, filesSection } from './setup-sections';
import { trustSection } from './trust-section';

export async function renderStatusView(ctx: AppContext, profileId?: string): Promise<HTMLElement | null> {
  const arg: [] | [string] = profileId ? [profileId] : [];
  const [status, profiles] = await Promise.all([ctx.api.call('status:get', ...arg), ctx.api.call('profiles:list')]);
  if (!status) return null;
  // Act on this exact profile even if another becomes active meanwhile.
  const target: [string] = [status.profile.id];
  const p = status.profile;
  const doctorOut = h('div', { class: 'doctor-out', 'aria-live': 'polite' });
  const runDoctor = async () => {
    doctorOut.replaceChildren(h('p', { class: 'muted' }, 'Testing…'));
    const report = await ctx.api.call('doctor:run', ...target);
    const fixes = { ...fixTarget, details: reportDetails(p.name, report) };
    doctorOut.replaceChildren(
      h('h3', null, checksSummary(report)),
      checksList(report, 'doctor', (c) => {
        const plan = checkPlan(c, fixTarget.caps, p);
        return plan ? fixBlock(ctx, plan, fixes, `check-${c.id}`) : null;
      }),
    );
    ctx.announce(checksSummary(report));
  };
  const fixTarget: FixTarget = { profile: p, caps: capabilitiesOf(p, status.generations), done: () => ctx.refresh(), retest: runDoctor };

  const warnings = status.report?.warnings ?? [];
  const warningsBox = section(
    // The certificate's own warnings; editor drift and connection checks have their own sections.
    warnings.length ? `Needs attention (${warnings.length})` : 'No certificate problems',
    'warnings-heading',
    warnings.length
      ? h('ul', { class: 'warnings', 'data-testid': 'warnings' }, warnings.map((w) => warningItem(ctx, w, fixTarget)))
      : h('p', { 'data-testid': 'no-warnings' }, badge({ label: 'The certificate looks fine', symbol: '✓', tone: 'ok' })),
  );

  const toolbar = h(
    'div',
    { class: 'actions toolbar' },
    p.canRenew ? fixButton(ctx, 'renew', fixTarget, {}) : null,
    p.canRotate ? fixButton(ctx, 'rotate', fixTarget, {}) : null,
    asyncButton('Test connection', runDoctor, { class: 'btn', 'data-action': 'doctor' }),
    ...statusProfileButtons(ctx, p),
  );

  const others = profiles.filter((o) => o.id !== p.id);
  return h(
    'div',
    { class: 'view status-view', 'data-testid': 'status-view', 'data-profile': p.id },
    h(
      'div',
      { class: 'view-head' },
      h('h1', { tabindex: -1 }, p.name, ' ', badge(levelInfo(p.level))),
      h('p', { class: 'subtitle' }, h('span', { 'data-testid': 'url' }, p.url), p.altHost ? ` (server name checked: ${p.altHost})` : '', ` · ${SOURCE_LABELS[p.source] ?? p.source}`, p.active ? ' · active profile' : ''),
      // A pending profile cannot be switched to: its import makes it usable (and active when none is).
      p.active || p.pending ? null : notActiveBanner(ctx, p),
    ),
    p.pending ? await pendingCsrSection(ctx, fixTarget) : warningsBox,
    await driftSection(ctx),
    toolbar,
    failureFor(ctx, fixTarget, 'toolbar'),
    doctorOut,
    await reenrolSection(ctx, p, target),
    certificateSection(ctx, status),
    await localCaSection(ctx, p),
    await trustSection(ctx, p),
    filesSection(ctx, status),
    editorsSection(status, p.pending ? [] : [
      asyncButton('Open settings diff', () => openSettingsDialog(ctx, { proxyConsent: false }), { class: 'btn', 'data-action': 'settings-diff' }),
    ]),
    historySection(ctx, status, target),
    othersSection(ctx, others),
  );
}

/** A warning: what is wrong, what fixes it in this window (its buttons), and the same from a terminal. */
function warningItem(ctx: AppContext, w: WarningDto, t: FixTarget): HTMLElement {
  const plan = warningPlan(w.code, t.caps, t.profile);
  const { how, buttons, failure, terminal } = fixParts(ctx, plan, t, `fix-${w.code}`);
  // "Remind me tomorrow" sits with the buttons: a second answer while the CA works, not the only one.
  if (plan.snooze) (buttons ?? how).append(snoozeControl(ctx, t.profile));
  return h(
    'li',
    { class: `warning tone-${severityInfo(w.severity).tone}`, 'data-code': w.code },
    h('div', { class: 'warning-head' }, badge(severityInfo(w.severity)), ' ', h('strong', { class: 'warning-message' }, w.message)),
    how,
    buttons,
    failure,
    terminal,
    h('p', { class: 'code muted' }, `Code: ${w.code}`),
  );
}

/**
 * Snoozes the window has set, by profile id: the status from main does not carry them, so a
 * redraw in this window keeps saying "paused" instead of offering the button again.
 */
const snoozedUntil = new Map<string, string>();

function snoozedNote(p: ProfileSummaryDto, untilIso: string): HTMLElement {
  return h('p', { class: 'muted', tabindex: -1, 'data-testid': 'snoozed' }, `No reminders about ${p.name} until ${formatDateTime(untilIso)}.`);
}

/** "Remind me tomorrow", as the notification offers it on macOS: silences this profile's notifications for a day. */
function snoozeControl(ctx: AppContext, p: ProfileSummaryDto): HTMLElement {
  const until = snoozedUntil.get(p.id);
  if (until !== undefined && Date.parse(until) > Date.now()) return snoozedNote(p, until);
  const btn = asyncButton(
    'Remind me tomorrow',
    async () => {
      const res = await ctx.api.call('notifications:snooze', p.id, SNOOZE_HOURS);
      snoozedUntil.set(p.id, res.until);
      const note = snoozedNote(p, res.until);
      btn.replaceWith(note);
      // The button is gone: keep keyboard focus where the user was, on what replaced it.
      note.focus();
      ctx.announce(`No reminders about ${p.name} until ${formatDateTime(res.until)}`);
    },
    { class: 'btn', 'data-action': 'snooze' },
  );
  return btn;
}

function notActiveBanner(ctx: AppContext, p: ProfileSummaryDto): HTMLElement {
  return h(
    'div',
    { class: 'banner tone-info', role: 'note' },
    'This is not the active profile: the editors use another one. ',
    asyncButton(
      `Switch to ${p.name}`,
      async () => {
        const res = await ctx.api.call('profile:switch', p.id);
        const changed = res.settings.filter((s) => s.wrote).length;
        ctx.announce(`Switched to ${p.name}${changed ? `; ${changed} settings ${changed === 1 ? 'file' : 'files'} updated` : ''}`);
        ctx.navigate({ view: 'status' });
      },
      { class: 'btn primary', 'data-action': 'switch-here' },
    ),
  );
}

function othersSection(ctx: AppContext, others: ProfileSummaryDto[]): HTMLElement | null {
  if (!others.length) return null;
  return section(
    'Other profiles',
    'others-heading',
    h(
      'ul',
      { class: 'others', 'data-testid': 'other-profiles' },
      others.map((o) =>
        h(
          'li',
          { 'data-profile': o.id },
          h('strong', null, o.name),
          ' ',
          badge(levelInfo(o.level)),
          h('span', { class: 'muted' }, ` ${o.url} · ${daysLeftText(o.daysLeft)}${o.active ? ' · active' : ''}`),
          ' ',
          h('button', { type: 'button', class: 'btn small', 'data-action': `show-${o.id}`, onclick: () => ctx.navigate(o.active ? { view: 'status' } : { view: 'status', profileId: o.id }) }, `Show ${o.name}`),
        ),
      ),
    ),
  );
}

