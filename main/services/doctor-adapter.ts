/**
 * The doctor as the AppService sees it: its report is already shaped like DoctorReportDto.
 * Loaded on first use: it pulls in tls, https and dns, which `status` and `refresh` (run on
 * every cold start of the CLI) never need.
 */
import type { DoctorPort } from './ports';

export function createDoctorPort(defaults: { now?: () => Date; env?: NodeJS.ProcessEnv; homeDir?: string; timeoutMs?: number } = {}): DoctorPort {
  return {
    async run(input) {
      // A lazy `require`, for the reason given at context.ts's `making`.
      const { runDoctor } = require('../doctor') as typeof import('../doctor');
      const report = await runDoctor({
        ...input,
        ...(defaults.now ? { now: defaults.now() } : {}),
        ...(defaults.env ? { env: defaults.env } : {}),
        ...(defaults.homeDir ? { homeDir: defaults.homeDir } : {}),
        ...(defaults.timeoutMs ? { timeoutMs: defaults.timeoutMs } : {}),
      });
      return report;
    },
  };
}
