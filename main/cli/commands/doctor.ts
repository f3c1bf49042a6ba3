/** `doctor`: probe the deployment and say whose fault a failure is; exit 1 when a check fails. */
import { formatDoctorReport } from '../../doctor/format-report';
import { profileCommand } from '../options';

export const doctorCommand = profileCommand({
  name: 'doctor',
  summary: 'probe the deployment: is it my certificate, the server, or the editor?',
  async run({ service }, profile) {
    const r = await service.doctor(profile);
    return { json: r, text: formatDoctorReport(r).trimEnd(), code: r.ok ? 0 : 1 };
  },
});
