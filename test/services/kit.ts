// A real service over temp directories: a data dir, a HOME with VS Code "installed" (its user
// folder exists), an injected clock. Real credentials, store and settings files throughout.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { AppService } from '../../main/services/app-service';
import { createServiceContext, type ServiceContext } from '../../main/services/context';
import { createAppService } from '../../main/services/create-app-service';

export const DAY = 86_400_000;
export const T0 = new Date('2030-03-01T09:00:00.000Z');

export interface Kit {
  home: string;
  dataDir: string;
  codeSettings: string;
  clock: { t: Date };
  svc: AppService;
  ctx: ServiceContext;
  /** Changes fields of a profile's profile.json, as a hand edit would. */
  editProfile(id: string, change: (p: Record<string, any>) => Record<string, any>): void;
}

export function kit(o: { now?: Date; env?: Record<string, string> } = {}): Kit {
  const home = mkdtempSync(join(tmpdir(), 'mtls-svc-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  const dataDir = join(home, "data dir's");
  const clock = { t: o.now ?? T0 };
  const opts = { dataDir, env: { HOME: home, ...o.env }, platform: 'linux' as const, homedir: home, cliCommand: ['node', 'cli.js'], now: () => clock.t, vars: { user: 'al', hostname: 'box.example.com' } };
  return {
    home,
    dataDir,
    codeSettings: join(home, '.config', 'Code', 'User', 'settings.json'),
    clock,
    svc: createAppService(opts),
    ctx: createServiceContext(opts),
    editProfile(id, change) {
      const file = join(dataDir, 'profiles', id, 'profile.json');
      writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8'))), null, 2));
    },
  };
}

export const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
