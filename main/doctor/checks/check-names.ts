/** Ids and titles of the doctor's checks, in report order; one place so skipped checks read like run ones. */
export const CHECKS = {
  url: { id: 'url', title: 'Deployment URL' },
  ownCertificate: { id: 'own-certificate', title: 'Our client certificate' },
  dns: { id: 'dns', title: 'Resolve the deployment host' },
  tcp: { id: 'tcp', title: 'Connect to the deployment' },
  serverChain: { id: 'server-chain', title: 'Read the server certificate chain' },
  serverNames: { id: 'server-names', title: 'Server certificate names the host' },
  serverTrust: { id: 'server-trust', title: 'Server certificate is trusted' },
  mtls: { id: 'mtls-handshake', title: 'Gateway accepts our client certificate' },
  headerCommand: { id: 'header-command', title: 'Header command output' },
  buildinfo: { id: 'buildinfo', title: 'Request /api/v2/buildinfo as the extension does' },
  sshCli: { id: 'ssh-cli', title: 'SSH through `coder ssh` (the Coder CLI sends no client certificate)' },
  editors: { id: 'editors', title: 'Editor settings' },
} as const;
