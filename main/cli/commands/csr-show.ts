/** `csr show`: the pending request again, for whoever lost the file. */
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const csrShowCommand: Command = {
  name: 'csr show',
  summary: 'print the pending certificate request of a --csr profile',
  usage: 'csr show [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const pem = await service.pendingCsr(profileOf(values));
    return { json: { csrPem: pem }, text: pem.trimEnd() };
  },
};
