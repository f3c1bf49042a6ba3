// Runs one settings apply/remove in its own process, so the observer test watches the files
// from another process, as an editor would. Input: one JSON argument; output: JSON results.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { applyEdits, modify } from 'jsonc-parser';
import { applySettings, removeSettings } from '../../main/settings/apply-settings';
import type { EditorTarget } from '../../main/settings/editor-discovery';
import type { DesiredCoderSettings } from '../../main/settings/owned-keys';

interface ChildArgs {
  /** per-key: the behaviour this project replaces, one (atomic) write per key, as a control. */
  op: 'apply' | 'remove' | 'per-key';
  targets: EditorTarget[];
  desired: DesiredCoderSettings;
  backupDir: string;
  proxyConsent?: boolean;
}

function perKey(args: ChildArgs): void {
  for (const t of args.targets) {
    for (const [key, value] of Object.entries(args.desired)) {
      const text = readFileSync(t.settingsPath, 'utf8');
      writeFileSync(`${t.settingsPath}.tmp`, applyEdits(text, modify(text, [key], value ?? undefined, { formattingOptions: { insertSpaces: true, tabSize: 4 } })));
      renameSync(`${t.settingsPath}.tmp`, t.settingsPath);
    }
  }
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as ChildArgs;
  if (args.op === 'per-key') {
    perKey(args);
    process.stdout.write('[]');
    return;
  }
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
