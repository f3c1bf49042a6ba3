/**
 * Workspace trust (issue 17): the same snippets as `mtls-tray trust snippet`, with a format and
 * image picker and copy buttons. Workspaces must trust the deployment's private CA too, or they
 * fail to download extensions or to build (Coder's TLS guide). A profile without a CA bundle
 * gets the sentence that the platform's trust applies, and how to add a bundle. Everything here
 * is public (the CA certificate); main builds the text (`trust:snippet`), the window only shows it.
 */
import type { ProfileSummaryDto, TrustDistro, TrustFormat, TrustSnippetDto } from '../../main/ipc/contract';
import { TRUST_DISTROS, TRUST_FORMATS } from '../../main/base/vocabulary';
import { errorText } from '../api';
import type { AppContext } from '../app-context';
import { h, uid, withCode } from '../dom';
import { section } from '../ui/components';
import { copyButton } from '../ui/copy-button';

const FORMAT_LABELS: Record<TrustFormat, string> = {
  dockerfile: 'Dockerfile',
  shell: 'Startup script (sh)',
  terraform: 'Terraform (coder_agent)',
};
const DISTRO_LABELS: Record<TrustDistro, string> = { debian: 'Debian / Ubuntu', alpine: 'Alpine', rhel: 'RHEL / Fedora' };

const TITLE = 'Workspace trust';
const HEADING = 'trust-heading';


function failure(err: unknown): HTMLElement {
  const e = errorText(err);
  return h('p', { class: 'callout tone-warn', 'data-testid': 'trust-error' }, e.fix ? `${e.message} — ${e.fix}` : e.message);
}

function picker<T extends string>(label: string, name: string, values: readonly T[], labels: Record<T, string>, selected: T, onChange: (v: T) => void): { wrap: HTMLElement; select: HTMLSelectElement } {
  const id = uid(`trust-${name}`);
  const select = h('select', { id, name, 'data-testid': `trust-${name}` });
  for (const v of values) select.append(h('option', { value: v, selected: v === selected }, labels[v]));
  select.addEventListener('change', () => onChange(select.value as T));
  return { wrap: h('div', { class: 'field', 'data-field': `trust-${name}` }, h('label', { for: id }, label), select), select };
}

export async function trustSection(ctx: AppContext, p: ProfileSummaryDto): Promise<HTMLElement> {
  const state: { format: TrustFormat; distro: TrustDistro } = { format: 'dockerfile', distro: 'debian' };
  const ask = () => ctx.api.call('trust:snippet', p.id, state.format === 'shell' ? { format: state.format } : { format: state.format, distro: state.distro });
  let first: TrustSnippetDto;
  try {
    first = await ask();
  } catch (err) {
    // A damaged bundle must not hide the rest of the status view: say what is wrong here.
    return section(TITLE, HEADING, failure(err));
  }
  if (!first.hasCaBundle) return section(TITLE, HEADING, h('p', { 'data-testid': 'trust-none' }, ...withCode(first.message)));

  const body = h('div', { 'data-testid': 'trust-body' });
  const show = (res: TrustSnippetDto) => {
    if (!res.snippet || !res.caPem) return body.replaceChildren(h('p', { 'data-testid': 'trust-none' }, ...withCode(res.message)));
    const distro = res.distro && res.distro !== 'debian' ? ` --distro ${res.distro}` : '';
    body.replaceChildren(
      h('p', { 'data-testid': 'trust-message' }, res.message),
      h('pre', { class: 'pem', tabindex: 0, 'aria-label': `${FORMAT_LABELS[res.format]} snippet`, 'data-testid': 'trust-snippet', 'data-format': res.format }, res.snippet),
      h('div', { class: 'actions' }, copyButton(ctx, res.snippet, 'Copy snippet'), copyButton(ctx, res.caPem, 'Copy CA bundle')),
      h('p', { class: 'muted' }, 'From a terminal, with the CA file beside it: ', h('code', null, `mtls-tray trust snippet --profile ${res.profileId} --format ${res.format}${distro} --out DIR`)),
    );
  };
  const distroPicker = picker('Workspace image', 'distro', TRUST_DISTROS, DISTRO_LABELS, state.distro, (v) => {
    state.distro = v;
    void reload();
  });
  const formatPicker = picker('Format', 'format', TRUST_FORMATS, FORMAT_LABELS, state.format, (v) => {
    state.format = v;
    // The shell form finds the trust store where it runs: no image to pick.
    distroPicker.wrap.hidden = v === 'shell';
    void reload();
  });
  async function reload(): Promise<void> {
    body.setAttribute('aria-busy', 'true');
    try {
      show(await ask());
    } catch (err) {
      body.replaceChildren(failure(err));
    } finally {
      body.removeAttribute('aria-busy');
    }
  }
  show(first);
  return section(
    TITLE,
    HEADING,
    h(
      'div',
      { 'data-testid': 'trust' },
      h('p', { class: 'hint' }, "Workspaces must trust your deployment's private CA too, or they fail to download extensions or to build. Add these lines to the workspace image or template."),
      h('div', { class: 'trust-pickers' }, formatPicker.wrap, distroPicker.wrap),
      body,
    ),
  );
}
