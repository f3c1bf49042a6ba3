/**
 * One well-formed call per channel (tokens are filled in by the caller), for the validation,
 * handler and sender tests: each channel must accept this and refuse its malformed variants.
 */
import type { IpcArgs, IpcChannel } from '../../main/ipc/contract';

export function validCalls(t: { cert: string; key: string; profile: string; p12: string }): { [C in IpcChannel]: IpcArgs<C> } {
  return {
    'profiles:list': [],
    'status:get': ['acme'],
    'profile:renew': ['acme'],
    'profile:rotate': [],
    'profile:rollback': ['acme'],
    'profile:switch': ['beta'],
    'profile:rename': ['acme', 'Acme production'],
    'profile:delete': ['beta'],
    'profile:edit': ['acme', { caBundleFile: t.cert, altHost: null, setHeaders: [{ name: 'X-Team', value: 'infra' }], sans: ['email:{{user}}@example.com'], days: 90, dryRun: true }],
    'profile:history': ['acme'],
    'profile:export': ['acme', 'correct horse battery staple'],
    'profile:exportLink': ['acme'],
    'profile:importPreview': [{ file: t.profile }],
    'profile:import': [{ link: 'mtls-tray://import?p=shared' }, { noSettings: true }],
    'csr:get': ['acme'],
    'csr:save': ['acme'],
    'csr:importCert': [t.cert, 'acme', { editors: ['code'], proxyConsent: true }],
    'csr:new': ['acme', { newKey: false }],
    'issuer:set': ['acme', { command: 'curl -fsS --data-binary @- https://ca.example.com/sign', timeoutSeconds: 60 }],
    'wizard:checkDeployment': ['https://coder.example.com', 'coder.internal'],
    'wizard:previewSettings': [{ editors: ['code'], hasCaBundle: false, proxyConsent: true }],
    'wizard:create': [
      {
        url: 'https://coder.example.com',
        name: 'Imported',
        identity: { kind: 'import-pem', certFile: t.cert, keyFile: t.key },
        sans: ['email:me@example.com'],
        days: 30,
        headers: [{ name: 'X-Team', value: 'infra' }],
        noSettings: true,
      },
    ],
    'editors:detect': [],
    'settings:apply': [{ editors: ['code', 'cursor'], dryRun: true }],
    'doctor:run': ['acme'],
    'dialog:openFile': ['certificate'],
    'clipboard:writeText': ['mtls-tray://import?p=x'],
    'ca:cert': ['acme'],
    'ca:saveCert': [],
    'notifications:snooze': ['acme', 24],
    'trust:snippet': ['acme', { format: 'terraform', distro: 'rhel' }],
    'drift:get': [],
    'drift:restore': ['files'],
    'drift:keepTheirs': ['/home/u/.config/Cursor/User/settings.json'],
  };
}
