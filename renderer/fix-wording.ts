/**
 * The words beside the fix buttons. The service writes its fixes for a terminal ("Run
 * `mtls-tray renew`", "(--ca-bundle FILE)"); in the window the text points at the buttons and
 * says what they do for this kind of profile (renewed here, or requested from a CA), and the
 * commands move to a small secondary "From a terminal" line. Pure: unit-tested on Node.
 */
import type { DoctorCheckDto, ProfileSummaryDto } from '../main/ipc/contract';
import { checkActions, errorActions, offersSnooze, warningActions, type Capabilities, type FixAction } from './warning-actions';

export interface FixPlan {
  /** The buttons, the main one first. */
  actions: FixAction[];
  /** What to do, in the window's words. */
  text: string;
  /** The same from a terminal; null when there is no command for it. */
  terminal: string | null;
  /** Offer "Remind me tomorrow" too. */
  snooze: boolean;
}

type Who = Pick<ProfileSummaryDto, 'id' | 'active' | 'sans'>;

const EXAMPLE_NAME = 'email:you@example.com';

/** One sentence per action: what pressing it does. */
function sentence(a: FixAction, c: Capabilities | null, p: Who | null): string {
  const names = p?.sans.length ? ` with its names (${p.sans.join(', ')})` : '';
  switch (a) {
    case 'renew':
      return c?.caIssued
        ? 'Renew asks your CA for a new certificate through this profile\'s issuer command; the key stays the same.'
        : 'Renew gives the same key a new certificate, valid from now.';
    case 'renew-with-names':
      return `This profile has no names to put in a certificate: "Add names and renew" asks for at least one (for example ${EXAMPLE_NAME}) and renews with them.`;
    case 'rotate':
      return 'Rotate the key with the button below: a new private key and a certificate that matches it.';
    case 'request':
      if (c?.requested) return 'If that request got lost, "Request a new certificate" makes a new one.';
      return `Your CA issues this certificate, so the new one comes from your CA: "Request a new certificate" makes a certificate request (CSR) for your current key${names}; send it to your CA, then import the certificate it sends back.`;
    case 'request-with-names':
      return `Your CA issued this certificate, so only your CA can replace it: "Request a new certificate with names" asks for at least one name (for example ${EXAMPLE_NAME}) and makes a certificate request (CSR) for your current key; send it to your CA, then import the certificate it sends back.`;
    case 'request-new-key':
      if (c?.requested) return 'If that request got lost, "Request a certificate for a new key" makes a new one.';
      return 'Only a new key helps, and your CA issues this certificate: "Request a certificate for a new key" makes a new key and a request for it. The current key keeps working until you import the certificate your CA sends back.';
    case 'import-cert':
      if (c?.pending) return 'The request is with your CA: import the certificate it sends back.';
      if (c?.requested) return 'A certificate request is already with your CA (see "Renewal by your CA" below): import the certificate it sends back.';
      return 'If your CA has already sent you a new certificate, import it.';
    case 'ca-bundle':
      return "Choose the CA certificate that issued the server's certificate (a CA bundle file, from your admin): the extension then trusts the server through coder.tlsCaFile.";
    case 'alt-host':
      return "Set the alt host (coder.tlsAltHost) to a name the server's certificate carries: the extension checks the server against that name instead.";
    case 'headers':
      return 'Edit the headers the editor sends with every request (the header command prints them).';
    case 'fix-proxy':
      return 'Press "Fix proxy setting" below: it shows the change to each settings file before writing it.';
    case 'settings-diff':
      return 'Open the settings diff below to see the change and apply it.';
    case 'switch':
      return 'The editors use another profile: switch to this one to point them at its files.';
    case 'rollback':
      return 'Roll back puts the generation before back in place; the editors pick it up on their next request.';
    case 'issuer-setup':
      return 'Mend the issuer command ("Change the issuer command"), or request the certificate by hand meanwhile.';
    case 'restore-files':
      return '"Restore the files" puts the current generation\'s files back where the editors read them.';
    case 'retest':
      return 'This is outside the window\'s reach: fix it, then test again.';
    case 'copy-for-admin':
      return "Only the deployment's admin can change this: copy the details and send them.";
  }
}

/** The window's words for a certificate warning, by code and its main action. */
function warningText(code: string, actions: FixAction[], c: Capabilities, p: Who): string {
  const main = actions[0];
  if (main === 'renew' && !c.caIssued) {
    switch (code) {
      case 'EXPIRED':
        return 'Renew now with the button below: the same key gets a new certificate, valid from today.';
      case 'EXPIRING_SOON':
        return 'Renew now with the button below; mtls-tray also renews automatically.';
      case 'NOT_YET_VALID':
        return `Check this computer's clock first; if it is right, Renew below issues a certificate valid from now.${actions.includes('rollback') ? ' ' + sentence('rollback', c, p) : ''}`;
      case 'NO_SAN':
        return `Renew with the button below: the new certificate carries this profile's names (${p.sans.join(', ')}).`;
      case 'CHAIN_UNVERIFIED':
        return 'Renew with the button below: the local CA signs a new certificate that chains to it.';
      default:
        return "Renew with the button below: the new certificate carries this profile's names, the clientAuth usage and a SHA-256 signature.";
    }
  }
  const lead =
    code === 'NOT_YET_VALID' ? "Check this computer's clock first; if it is right, the certificate was dated wrongly. "
    : code === 'NO_CLIENT_AUTH_EKU' && c.caIssued ? 'Ask your CA for the clientAuth extended key usage (TLS client authentication). '
    : code === 'WEAK_SIGNATURE' && c.caIssued ? 'Ask your CA for a SHA-256 signature. '
    : code === 'CHAIN_UNVERIFIED' && main === 'import-cert' ? 'Import the certificate again with its intermediate certificates in the same file (leaf first), and check that the server trusts the CA that issued it. '
    : '';
  const body = code === 'CHAIN_UNVERIFIED' && main === 'import-cert' ? '' : actions.slice(0, 2).map((a) => sentence(a, c, p)).join(' ');
  return (lead + body).trim();
}

/** Commands that take --profile (the CLI otherwise acts on the active profile). */
const TERMINAL: Record<FixAction, string | null> = {
  renew: 'mtls-tray renew',
  'renew-with-names': 'mtls-tray edit --san NAME; mtls-tray renew',
  rotate: 'mtls-tray rotate',
  request: 'mtls-tray csr new --out request.csr',
  'request-with-names': 'mtls-tray edit --san NAME; mtls-tray csr new --out request.csr',
  'request-new-key': 'mtls-tray csr new --new-key --out request.csr',
  'import-cert': 'mtls-tray csr import-cert CERT.pem',
  'ca-bundle': 'mtls-tray edit --ca-bundle FILE',
  'alt-host': 'mtls-tray edit --alt-host NAME',
  headers: 'mtls-tray edit --header NAME=VALUE',
  'fix-proxy': 'mtls-tray settings apply --proxy-support',
  'settings-diff': 'mtls-tray settings apply',
  switch: 'mtls-tray switch',
  rollback: 'mtls-tray rollback',
  'issuer-setup': 'mtls-tray edit --issuer-command CMD',
  'restore-files': 'mtls-tray settings apply',
  retest: 'mtls-tray doctor',
  'copy-for-admin': null,
};

/** The commands of the actions, for this profile (`--profile ID` unless it is the active one). */
export function terminalFor(actions: readonly FixAction[], p: Pick<ProfileSummaryDto, 'id' | 'active'> | null): string | null {
  const lines = actions
    .map((a) => {
      let cmd = TERMINAL[a];
      if (cmd === null) return null;
      if (p === null) {
        // No profile yet: these are options of init.
        if (a === 'ca-bundle') return 'mtls-tray init --url URL --ca-bundle FILE';
        if (a === 'alt-host') return 'mtls-tray init --url URL --alt-host NAME';
        // (The doctor checks profiles: before one exists there is no terminal line for a re-test.)
        return null;
      }
      if (a === 'switch') return `${cmd} ${p.id}`;
      if (!p.active && !/settings apply/.test(cmd)) cmd = cmd.replace(/(mtls-tray (?:renew|rotate|rollback|doctor|edit|csr new|csr import-cert))/g, `$1 --profile ${p.id}`);
      return cmd;
    })
    .filter((x): x is string => x !== null);
  return lines.length ? [...new Set(lines)].join('; ') : null;
}

export function warningPlan(code: string, c: Capabilities, p: Who): FixPlan {
  const actions = warningActions(code, c);
  return { actions, text: warningText(code, actions, c, p), terminal: terminalFor(actions, p), snooze: offersSnooze(code, c) };
}

/**
 * A failed or warned check: its buttons, and the doctor's fix in the window's words where a
 * button does it (the doctor's own fix stays where no button does). null for a pass or skip.
 */
export function checkPlan(check: Pick<DoctorCheckDto, 'id' | 'status' | 'code' | 'fix'>, c: Capabilities | null, p: Who | null): FixPlan | null {
  if (check.status !== 'fail' && check.status !== 'warn') return null;
  const actions = checkActions(check, c);
  const main = actions[0];
  let text: string;
  if (check.id === 'own-certificate' && c && p && main && !['retest', 'copy-for-admin'].includes(main)) text = warningText(check.code ?? '', actions, c, p);
  else if (main === undefined || main === 'retest' || main === 'copy-for-admin') text = check.fix ?? sentence(main ?? 'retest', c, p);
  else text = actions.filter((a) => a !== 'retest').slice(0, 2).map((a) => sentence(a, c, p)).join(' ');
  return { actions, text, terminal: terminalFor(actions, p), snooze: false };
}

/** A failed window action (renew through an issuer command, an import...): what fixes it, or null when nothing here does. */
export function errorPlan(code: string, c: Capabilities, p: Who): FixPlan | null {
  const actions = errorActions(code, c);
  if (!actions.length) return null;
  return { actions, text: actions.map((a) => sentence(a, c, p)).join(' '), terminal: terminalFor(actions, p), snooze: false };
}
