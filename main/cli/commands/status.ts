/** `status`: the certificate report; exit 1 when a warning is an error or something drifted (issue 17), so scripts can check with it. */
import { UserError } from '../../base/errors';
import { formatStatus } from '../format';
import { profileCommand } from '../options';

export const statusCommand = profileCommand({
  name: 'status',
  summary: 'certificate report with warnings',
  async run({ service }, profile) {
    const s = await service.status(profile);
    if (!s) throw new UserError('NO_PROFILE', 'There is no profile yet', 'Create one with: mtls-tray init --url https://coder.example.com --self-signed');
    const errors = s.report?.warnings.some((w) => w.severity === 'error') || s.dataDirProblem !== null || s.editors.some((e) => e.mismatched.length > 0) || s.drift.length > 0;
    return { json: s, text: formatStatus(s), code: errors ? 1 : 0 };
  },
});
