/** `status`: the certificate report; exit 1 when a warning is an error, so scripts can check with it. */
import { UserError } from '../../base/errors';
import type { Command } from '../command';
import { formatStatus } from '../format';
import { PROFILE_OPTION, profileOf } from '../options';

export const statusCommand: Command = {
  name: 'status',
  summary: 'certificate report with warnings',
  usage: 'status [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const s = await service.status(profileOf(values));
    if (!s) throw new UserError('NO_PROFILE', 'There is no profile yet', 'Create one with: mtls-tray init --url https://coder.example.com --self-signed');
    const errors = s.report?.warnings.some((w) => w.severity === 'error') || s.dataDirProblem !== null || s.editors.some((e) => e.mismatched.length > 0);
    return { json: s, text: formatStatus(s), code: errors ? 1 : 0 };
  },
};
