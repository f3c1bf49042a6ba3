// Runs one settings apply/remove in its own process, so the observer test watches the files
// from another process, as an editor would. Input: one JSON argument; output: JSON results.
import { applySettings, removeSettings } from '../../main/settings/apply-settings';
import type { EditorTarget } from '../../main/settings/editor-discovery';
import type { DesiredCoderSettings } from '../../main/settings/owned-keys';

interface ChildArgs {
  op: 'apply' | 'remove';
  targets: EditorTarget[];
  desired: DesiredCoderSettings;
  backupDir: string;
  proxyConsent?: boolean;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as ChildArgs;
  const results =
    args.op === 'apply'
      ? await applySettings(args.targets, { desired: args.desired, backupDir: args.backupDir, proxyConsent: args.proxyConsent === true })
      : await removeSettings(args.targets, { backupDir: args.backupDir });
  process.stdout.write(JSON.stringify(results));
}

// No top-level await: test files are compiled as CommonJS by tsx here.
main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
