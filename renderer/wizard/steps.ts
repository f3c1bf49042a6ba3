/**
 * What each wizard step shows. The words assume no PKI knowledge: each choice says what it
 * does for the user, and the jargon (SAN, tlsAltHost, PKCS#12) appears next to a plain name.
 */
import type { DoctorCheckDto, DoctorReportDto, KeyAlgorithm } from '../../main/ipc/contract';
import { h, uid, withCode } from '../dom';
import { asyncButton, defList, groupError } from '../ui/components';
import { checksList, checksSummary, reportDetails } from '../ui/checks-view';
import { editorsPicker } from '../ui/editors-picker';
import { importReviewList, importSourceFields } from '../ui/import-parts';
import { checkPlan } from '../fix-wording';
import { KEY_ALGORITHM_LABELS, SOURCE_LABELS } from '../format';
import { hostOf, normaliseUrl, sanLines } from '../validate';
import { filePicker, textArea, textField, type StepEnv } from './step-parts';
import { deploymentKey, generatesKey, hostNotCovered, suggestedAltHost, suggestedName, type SourceKind } from './wizard-state';

export function deploymentStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const nameWrap = textField(env, 'name', 'Profile name', s.name, (v) => {
    s.name = v;
    s.nameTouched = v !== '';
  }, { hint: 'How this deployment appears in the tray menu. Leave empty to use its host name.', placeholder: suggestedName(s.url) || 'coder.example.com' });
  const urlWrap = textField(env, 'url', 'Coder deployment address', s.url, (v) => (s.url = v), {
    hint: 'The address you open Coder at in the browser, for example https://coder.example.com',
    placeholder: 'https://coder.example.com',
    autocomplete: 'url',
    inputmode: 'url',
    // The name's placeholder follows the host until the user types a name of their own.
    onInput: (v) => nameWrap.querySelector('input')?.setAttribute('placeholder', suggestedName(v) || 'coder.example.com'),
  });

  const checked = s.deployment && s.deploymentKey === deploymentKey(s) && !s.deploymentRechecking ? s.deployment : null;
  const suggestion = suggestedAltHost(checked);
  const needsAlt = hostNotCovered(checked);
  const result = checked
    ? h(
        'section',
        { class: 'check-result', 'aria-labelledby': 'deploy-check-h', 'data-testid': 'deployment-check' },
        h('h3', { id: 'deploy-check-h' }, `Check of ${hostOf(s.url)}: ${checksSummary(checked)}`),
        checksList(checked, 'deployment-checks', (c) => deploymentFix(env, c, checked)),
        needsAlt
          ? h(
              'div',
              { class: 'callout tone-warn', 'data-testid': 'alt-host-offer' },
              h('p', null, `The server's certificate is not issued for ${hostOf(s.url)}. The Coder extension can check it against another name instead (the setting coder.tlsAltHost).`),
              suggestion
                ? h(
                    'button',
                    { type: 'button', class: 'btn primary', 'data-action': 'use-alt-host', onclick: () => { s.altHost = suggestion; env.redraw('#wz-altHost'); } },
                    `Use ${suggestion}`,
                  )
                : h('p', null, 'Enter the name the certificate carries under "Server name" below, or ask your admin to reissue it.'),
            )
          : null,
        checked.ok && !needsAlt ? null : h('p', { class: 'hint' }, 'You can fix this and check again, or continue anyway (for example when the server is not reachable from here yet).'),
      )
    : null;

  const advancedOpen = s.advancedOpen || needsAlt || s.altHost !== '' || s.caBundleFile !== null || Boolean(env.errors.altHost || env.errors.caBundle);
  return h(
    'div',
    null,
    urlWrap,
    nameWrap,
    h(
      'details',
      // Stays open once opened: removing the CA bundle must not fold away the control just used.
      { class: 'advanced', open: advancedOpen, ontoggle: (ev) => (s.advancedOpen = (ev.currentTarget as HTMLDetailsElement).open) },
      h('summary', null, 'Server name and CA bundle (advanced)'),
      textField(env, 'altHost', 'Server name to check (coder.tlsAltHost)', s.altHost, (v) => (s.altHost = v), {
        hint: "Only when the server's certificate is issued for another name than the address, e.g. behind a proxy.",
        placeholder: 'coder.internal.example.com',
      }),
      filePicker(env, 'caBundle', 'CA bundle', 'ca-bundle', s.caBundleFile, (f) => {
        s.caBundleFile = f;
        // The server is checked against the CA bundle: a new one may turn a trust failure into a pass.
        env.recheckDeployment();
      }, {
        optional: true,
        hint: "Only when the server's certificate comes from your company's own CA that this computer does not trust.",
      }),
    ),
    result,
    s.deploymentRechecking
      ? h('p', { class: 'muted', role: 'status', 'data-testid': 'deployment-rechecking' }, `Checking ${hostOf(s.url)} again with ${s.caBundleFile ? `the CA bundle ${s.caBundleFile.name}` : "this computer's trusted CAs"}…`)
      : null,
    h(
      'p',
      { class: 'teammate-link' },
      'Did a teammate send you a profile? ',
      h('button', { type: 'button', class: 'btn link', 'data-action': 'use-teammate', onclick: () => { s.source = 'teammate'; env.goTo('identity'); } }, 'Import their profile instead'),
    ),
  );
}

/**
 * A failed check of the deployment, before any profile exists: the same table as for a
 * profile (warning-actions.ts), with the fields of this step as the fix. "Choose CA bundle…"
 * picks the file right here (and the check runs again with it); "Set alt host…" opens the field.
 */
function deploymentFix(env: StepEnv, c: DoctorCheckDto, report: DoctorReportDto): HTMLElement[] | null {
  const plan = checkPlan(c, null, null);
  if (!plan) return null;
  const buttons = plan.actions.map((a, i) => {
    const cls = i === 0 && a !== 'copy-for-admin' ? 'btn primary' : 'btn';
    switch (a) {
      case 'ca-bundle':
        return asyncButton(
          // Not the same name as the picker's own button below: a second "Choose CA bundle…" would be ambiguous.
          env.s.caBundleFile ? 'Choose another CA bundle and check again…' : 'Choose CA bundle and check again…',
          async () => {
            const picked = await env.ctx.api.call('dialog:openFile', 'ca-bundle');
            if (!picked) return;
            env.s.caBundleFile = picked;
            env.s.advancedOpen = true;
            env.redraw('[data-action="pick-caBundle"]');
            env.recheckDeployment();
          },
          { class: cls, 'data-action': `check-${c.id}-ca-bundle`, 'data-fix': a },
        );
      case 'alt-host':
        return h('button', { type: 'button', class: cls, 'data-action': `check-${c.id}-alt-host`, 'data-fix': a, onclick: () => { env.s.advancedOpen = true; env.redraw('#wz-altHost'); } }, 'Set alt host…');
      case 'copy-for-admin':
        return asyncButton(
          'Copy the details for your admin',
          async () => {
            await env.ctx.api.call('clipboard:writeText', reportDetails('(new profile)', report));
            env.ctx.announce('Copied the details to the clipboard');
          },
          { class: cls, 'data-action': `check-${c.id}-copy`, 'data-fix': a },
        );
      default:
        // "Test again" is "Check and continue" itself on this step.
        return null;
    }
  }).filter((b): b is HTMLButtonElement => b !== null);
  const parts: Array<HTMLElement | null> = [
    h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), ...withCode(plan.text)),
    buttons.length ? h('div', { class: 'actions fix-actions' }, buttons) : null,
    plan.terminal ? h('p', { class: 'fix-terminal muted', 'data-testid': 'fix-terminal' }, 'From a terminal: ', h('code', null, plan.terminal)) : null,
  ];
  return parts.filter((x): x is HTMLElement => x !== null);
}

const SOURCES: Array<{ kind: SourceKind; title: string; text: string }> = [
  { kind: 'self-signed', title: 'Create a certificate on this computer (self-signed)', text: 'Quickest. Your admin must add this certificate to the server once; mtls-tray renews it by itself.' },
  { kind: 'csr', title: "Request one from my company's CA", text: 'mtls-tray makes a key and a certificate request (CSR) for you to send to the CA; you import the certificate it sends back.' },
  { kind: 'local-ca', title: 'Create a small CA on this computer', text: 'The server trusts the CA once; every renewal after that needs nobody.' },
  { kind: 'import-pem', title: 'I have a certificate and key file (PEM)', text: 'Files ending in .crt, .pem or .key that you already use.' },
  { kind: 'import-p12', title: 'I have a .p12 or .pfx file (PKCS#12)', text: 'One file with certificate and key, protected by a passphrase.' },
  { kind: 'teammate', title: "Use a teammate's profile", text: 'A profile file or mtls-tray:// link a teammate shared with you.' },
];

export function identityStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const name = uid('source');
  const options = SOURCES.map((o) => {
    const id = `wz-source-${o.kind}`;
    return h(
      'div',
      { class: `choice source${s.source === o.kind ? ' selected' : ''}` },
      h('input', {
        type: 'radio',
        name,
        id,
        value: o.kind,
        checked: s.source === o.kind,
        'aria-describedby': `${id}-text`,
        onchange: () => {
          s.source = o.kind;
          env.redraw(`#${id}`);
        },
      }),
      h('label', { for: id }, h('strong', null, o.title)),
      h('p', { class: 'hint', id: `${id}-text` }, o.text),
    );
  });
  return h(
    'div',
    null,
    h('fieldset', { 'data-field': 'source' }, h('legend', null, 'Where does your certificate come from?'), options, groupError('source', env.errors.source)),
    sourceDetails(env),
  );
}

function sourceDetails(env: StepEnv): HTMLElement | null {
  const { s } = env;
  switch (s.source) {
    case 'import-pem':
      return h(
        'div',
        { class: 'source-details' },
        filePicker(env, 'certFile', 'Certificate file', 'certificate', s.certFile, (f) => (s.certFile = f)),
        filePicker(env, 'keyFile', 'Private key file', 'key', s.keyFile, (f) => (s.keyFile = f), { hint: 'Read once to copy it into mtls-tray; it never reaches this window.' }),
        filePicker(env, 'chainFile', 'Intermediate certificates', 'chain', s.chainFile, (f) => (s.chainFile = f), { optional: true }),
        textField(env, 'keyPassphrase', 'Key passphrase (only if the key is encrypted)', s.keyPassphrase, (v) => (s.keyPassphrase = v), { type: 'password' }),
      );
    case 'import-p12':
      return h(
        'div',
        { class: 'source-details' },
        filePicker(env, 'p12File', 'PKCS#12 file', 'pkcs12', s.p12File, (f) => (s.p12File = f)),
        textField(env, 'p12Passphrase', 'Passphrase of the file', s.p12Passphrase, (v) => (s.p12Passphrase = v), { type: 'password', hint: 'The one you (or whoever gave you the file) chose when it was made.' }),
      );
    case 'teammate':
      return h(
        'div',
        { class: 'source-details' },
        importSourceFields(env.ctx, s.teammate, { file: env.errors.teammateFile, link: env.errors.teammateLink, source: env.errors.teammateSource }, () => env.redraw()),
      );
    default:
      return null;
  }
}

export function reviewImportStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const p = s.teammate.preview;
  const typed = s.url.trim() ? normaliseUrl(s.url) : '';
  return h(
    'div',
    null,
    importReviewList(s.teammate, env.errors.teammatePassphrase),
    p && typed && p.url !== typed ? h('p', { class: 'callout tone-info' }, `The profile is for ${p.url}, not ${typed} as typed on the first step; the profile's address is used.`) : null,
  );
}

export function keysStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const select = h('select', { id: 'wz-keyAlgorithm', name: 'keyAlgorithm' });
  for (const [value, label] of Object.entries(KEY_ALGORITHM_LABELS)) select.append(h('option', { value, selected: s.keyAlgorithm === value }, label));
  select.addEventListener('change', () => (s.keyAlgorithm = select.value as KeyAlgorithm));
  return h(
    'div',
    null,
    textArea(env, 'sans', 'Names in the certificate (SANs), one per line', s.sans, (v) => (s.sans = v), {
      hint: h(
        'span',
        null,
        'What your certificate says it is, for example ',
        h('code', null, 'email:you@example.com'),
        ' or ',
        h('code', null, 'DNS:my-laptop'),
        '. Leave empty to use this computer\'s name. Some servers refuse a certificate without any name.',
      ),
      placeholder: 'DNS:my-laptop',
    }),
    h(
      'div',
      { class: 'field', 'data-field': 'keyAlgorithm' },
      h('label', { for: 'wz-keyAlgorithm' }, 'Key type'),
      select,
      groupError('keyAlgorithm', env.errors.keyAlgorithm),
    ),
    textField(env, 'days', 'Valid for (days)', s.days, (v) => (s.days = v), {
      type: 'number',
      inputmode: 'numeric',
      hint: s.source === 'csr' ? 'Your CA may choose another lifetime.' : 'Renewed automatically after two thirds of this time; short lifetimes are safer.',
    }),
  );
}

export function headersStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const rows = s.headers.map((row, i) => {
    const n = i + 1;
    const nameIn = h('input', { type: 'text', id: `wz-header-name-${i}`, autocomplete: 'off', spellcheck: 'false', placeholder: 'X-Team' });
    nameIn.value = row.name;
    nameIn.addEventListener('input', () => (row.name = nameIn.value));
    const valueIn = h('input', { type: 'text', id: `wz-header-value-${i}`, autocomplete: 'off', spellcheck: 'false', placeholder: 'platform' });
    valueIn.value = row.value;
    valueIn.addEventListener('input', () => (row.value = valueIn.value));
    return h(
      'div',
      { class: 'header-row', role: 'group', 'aria-label': `Header ${n}` },
      h('div', { class: 'field' }, h('label', { for: nameIn.id }, `Header ${n} name`), nameIn),
      h('div', { class: 'field' }, h('label', { for: valueIn.id }, `Header ${n} value`), valueIn),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          'data-action': `remove-header-${i}`,
          'aria-label': `Remove header ${n}`,
          onclick: () => {
            s.headers.splice(i, 1);
            env.redraw(s.headers.length ? `#wz-header-name-${Math.max(0, i - 1)}` : '[data-action="add-header"]');
          },
        },
        'Remove',
      ),
    );
  });
  return h(
    'div',
    { 'data-field': 'headers' },
    h('p', null, 'Optional. Extra HTTP headers the editor sends with every request to Coder, for example when a gateway in front of it wants a team name. Most people need none.'),
    h(
      'p',
      { class: 'hint', 'data-testid': 'header-tokens' },
      'Values are sent as written; ',
      h('code', null, '{{cert.spki.sha256}}'),
      " stands for your key's pin (SHA-256 of the public key): it changes only when the key is rotated, so a gateway can check it against the certificate across renewals.",
    ),
    rows,
    groupError('headers', env.errors.headers),
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        'data-action': 'add-header',
        onclick: () => {
          s.headers.push({ name: '', value: '' });
          env.redraw(`#wz-header-name-${s.headers.length - 1}`);
        },
      },
      'Add a header',
    ),
  );
}

/** The editors step; `preview` is filled asynchronously by the controller. */
export function editorsStep(env: StepEnv, preview: HTMLElement, onChoice: () => void): HTMLElement {
  const { s } = env;
  if (!s.detectedEditors) return h('p', { class: 'muted' }, 'Looking for editors…');
  return h(
    'div',
    null,
    editorsPicker(
      s.detectedEditors,
      { editors: s.editors, proxyConsent: s.proxyConsent },
      (c) => {
        s.editors = c.editors;
        s.proxyConsent = c.proxyConsent;
        onChoice();
      },
      env.errors.editors,
    ),
    h('h3', null, 'Exact changes to each settings file'),
    preview,
  );
}

export function applyStep(env: StepEnv): HTMLElement {
  const { s } = env;
  const teammate = s.source === 'teammate';
  const sans = sanLines(s.sans);
  return h(
    'div',
    { 'data-testid': 'apply-summary' },
    h('p', null, h('strong', null, 'Nothing has been written yet.'), ' Check what will happen, then press "Create profile".'),
    defList(
      teammate
        ? [
            ['Profile', s.teammate.preview ? `${s.teammate.preview.name} (${s.teammate.preview.url})` : ''],
            ['Identity', s.teammate.preview?.needsPassphrase ? "The teammate's included certificate and key" : 'Made on this computer as the profile says'],
            ['Editors', s.editors.length ? s.editors.join(', ') : 'none (settings untouched)'],
          ]
        : [
            ['Deployment', normaliseUrl(s.url)],
            ['Profile name', s.name.trim() || suggestedName(s.url)],
            s.altHost.trim() ? ['Server name checked (tlsAltHost)', s.altHost.trim()] : null,
            ['CA bundle for the server', s.caBundleFile ? s.caBundleFile.name : "none: this computer's trusted CAs"],
            ['Identity', SOURCE_LABELS[s.source] ?? sourceTitle(s.source)],
            s.source === 'import-pem' ? ['Files', [s.certFile?.name, s.keyFile?.name, s.chainFile?.name].filter(Boolean).join(', ')] : null,
            s.source === 'import-p12' ? ['File', s.p12File?.name ?? ''] : null,
            generatesKey(s.source) ? ['Names (SANs)', sans.length ? sans.join(', ') : "this computer's name"] : null,
            generatesKey(s.source) ? ['Key', KEY_ALGORITHM_LABELS[s.keyAlgorithm] ?? s.keyAlgorithm] : null,
            generatesKey(s.source) ? ['Valid for', `${s.days.trim()} days`] : null,
            ['Headers', s.headers.filter((r) => r.name).map((r) => `${r.name}: ${r.value}`).join('; ') || 'none'],
            ['Editors', s.editors.length ? `${s.editors.join(', ')}${s.proxyConsent ? ', with http.proxySupport "on"' : ''}` : 'none (settings untouched)'],
          ],
    ),
    s.source === 'csr' ? h('p', { class: 'hint' }, 'The editors are set up once the certificate from your CA is imported.') : null,
    groupError('general', env.errors.general),
  );
}

function sourceTitle(kind: SourceKind): string {
  return SOURCES.find((o) => o.kind === kind)?.title ?? kind;
}
