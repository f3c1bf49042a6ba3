/** `csr show`: the pending request again, for whoever lost the file. */
import { profileCommand } from '../options';

export const csrShowCommand = profileCommand({
  name: 'csr show',
  summary: 'print the pending certificate request of a --csr profile',
  async run({ service }, profile) {
    const pem = await service.pendingCsr(profile);
    return { json: { csrPem: pem }, text: pem.trimEnd() };
  },
});
