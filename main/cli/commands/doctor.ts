/** `doctor`: probe the deployment and say whose fault a failure is; exit 1 when a check fails. */
import { formatDoctorReport } from '../../doctor/format-report';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'probe the deployment: is it my certificate, the server, or the editor?',
  usage: 'doctor [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const r = await service.doctor(profileOf(values));
    return { json: r, text: formatDoctorReport(r).trimEnd(), code: r.ok ? 0 : 1 };
  },
};
