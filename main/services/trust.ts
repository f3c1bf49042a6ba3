/**
 * Workspace trust (issue 17): the profile's CA bundle as Dockerfile lines, a startup-script
 * shell form or a Terraform coder_agent block. Reads the bundle the user gave with --ca-bundle
 * (profiles/<id>/ca-bundle.crt) and hands it to the pure generator; writes nothing.
 */
import { UserError } from '../base/errors';
import { buildTrustSnippet, invalidStoredBundle, noCaBundleMessage } from '../profiles/trust-snippet';
import type { TrustSnippetDto, TrustSnippetRequest } from './app-service';
import type { ServiceContext } from './context';

export async function trustSnippet(ctx: ServiceContext, profileId: string | undefined, req: TrustSnippetRequest): Promise<TrustSnippetDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const head = { profileId: id, profileName: p.name, url: p.url, format: req.format };
  if (!p.hasCaBundle) {
    return { ...head, hasCaBundle: false, distro: null, message: noCaBundleMessage(p), snippet: null, fileName: null, caFileName: null, caPem: null, certificates: 0, nodeExtraCaCerts: null };
  }
  const file = ctx.repo.caBundleFile(id);
  const pem = await ctx.repo.readCaBundle(id);
  if (pem === null) {
    throw new UserError('CA_BUNDLE_UNREADABLE', `Profile ${p.name} has a CA bundle, but its file ${file} is missing`, `Give it again: mtls-tray edit --profile ${id} --ca-bundle FILE`);
  }
  let s;
  try {
    s = buildTrustSnippet({ profile: p, caBundlePem: pem, caBundleFile: file, format: req.format, distro: req.distro ?? 'debian' });
  } catch (err) {
    throw invalidStoredBundle(err, id);
  }
  const certs = `${s.certificates} certificate${s.certificates === 1 ? '' : 's'}`;
  const message =
    s.format === 'dockerfile'
      ? `Dockerfile lines for the CA bundle of ${p.name} (${certs}): put ${s.caFileName} in the build context beside the Dockerfile.`
      : s.format === 'shell'
        ? `A startup-script snippet with the CA bundle of ${p.name} inside (${certs}): it installs the CA where the workspace's trust store expects it and exports NODE_EXTRA_CA_CERTS.`
        : `A coder_agent env block and startup script with the CA bundle of ${p.name} inside (${certs}): merge them into your template's coder_agent.`;
  return { ...head, hasCaBundle: true, distro: s.distro, message, snippet: s.text, fileName: s.fileName, caFileName: s.caFileName, caPem: s.caPem, certificates: s.certificates, nodeExtraCaCerts: s.nodeExtraCaCerts };
}
