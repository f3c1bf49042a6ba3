// tier: integration
/**
 * Every fix works (issue 13 step 6): each `mtls-tray <command> [--option]` that a warning's fix
 * (WARNING_CODES via makeWarning) or any message or fix in main/ names must be a command of the
 * real registry with options it really has; and a few are run to check they do what they say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COMMANDS } from '../../main/cli/commands/index';
import { WARNING_CODES } from '../../main/credentials/warnings';
import { serviceWarning } from '../helpers/service-warnings';
import { makeWorld, ROOT } from './cli-harness';

const GLOBAL = new Set(['json', 'data-dir', 'help']);

/**
 * `mtls-tray renew --profile X` -> { command: 'renew', options: ['profile'] }. An invocation is
 * one in backticks, or one whose first word is a command ("mtls-tray does not…" is prose);
 * its options stop at the end of the quote or clause.
 */
function invocations(text: string): Array<{ command: string; options: string[]; raw: string }> {
  const out = [];
  for (const m of text.matchAll(/(`?)mtls-tray ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)([^`"\n;),]*)/g)) {
    const words = m[2]!.split(' ');
    const two = COMMANDS.find((c) => c.name === words.join(' '));
    const command = two ? two.name : words[0]!;
    if (!m[1] && !COMMANDS.some((c) => c.name === command || c.name.startsWith(`${command} `))) continue;
    out.push({ command, options: [...(m[3] ?? '').matchAll(/(?:^|\s)--([a-z][a-z0-9-]*)/g)].map((o) => o[1]!), raw: m[0] });
  }
  return out;
}

function check(where: string, text: string, problems: string[]): number {
  let n = 0;
  for (const inv of invocations(text)) {
    n++;
    const spec = COMMANDS.find((c) => c.name === inv.command);
    if (!spec && inv.options.length === 0 && COMMANDS.some((c) => c.name.startsWith(`${inv.command} `))) continue; // "mtls-tray settings": the group
    if (!spec) {
      problems.push(`${where}: "${inv.raw}" names no command "${inv.command}"`);
      continue;
    }
    for (const o of inv.options) if (!GLOBAL.has(o) && !(o in spec.options)) problems.push(`${where}: "${inv.raw}": ${spec.name} has no --${o}`);
  }
  return n;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = join(dir, n);
    return statSync(f).isDirectory() ? tsFiles(f) : f.endsWith('.ts') ? [f] : [];
  });
}

test('every warning fix names commands and options that exist', () => {
  const problems: string[] = [];
  let named = 0;
  for (const code of WARNING_CODES) {
    const w = serviceWarning(code);
    named += check(`warning ${code}`, `${w.message}\n${w.fix}`, problems);
  }
  assert.deepEqual(problems, []);
  assert.ok(named >= 4, `warnings name ${named} commands`);
});

test('every message and fix in main/ names commands and options that exist', () => {
  const problems: string[] = [];
  let named = 0;
  for (const f of [...tsFiles(join(ROOT, 'main')), ...tsFiles(join(ROOT, 'renderer'))]) {
    // String literals only: comments may speak of the CLI loosely.
    const src = readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    const strings = src.match(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g) ?? [];
    for (const s of strings) named += check(relative(ROOT, f), s.slice(1, -1).replace(/\\`/g, '`'), problems);
  }
  assert.deepEqual(problems, []);
  assert.ok(named >= 20, `main/ names ${named} commands`);
});

test('a few fixes do what they promise', () => {
  const w = makeWorld('fixes');
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed']).code, 0);
  // PROXY_SUPPORT_OVERRIDE: "run `mtls-tray settings apply --proxy-support`" sets http.proxySupport to "on".
  const before = w.cli(['settings', 'apply']);
  assert.match(before.stdout, /mtls-tray settings apply --proxy-support/);
  assert.equal(w.cli(['settings', 'apply', '--proxy-support']).code, 0);
  assert.equal(w.settings()['http.proxySupport'], 'on');
  // EXPIRING_SOON/EXPIRED: "Run `mtls-tray renew`" makes a new generation.
  const gen = w.json(['status']).generations[0].number;
  assert.equal(w.cli(['renew']).code, 0);
  assert.equal(w.json(['status']).generations[0].number, gen + 1);
  // NO_PREVIOUS_GENERATION: "See its generations with `mtls-tray history --profile acme`".
  assert.equal(w.cli(['rollback']).code, 0);
  const again = w.cli(['rollback']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /mtls-tray history --profile acme/);
  const hist = w.cli(['history', '--profile', 'acme']);
  assert.equal(hist.code, 0);
  assert.match(hist.stdout, new RegExp(String(gen + 1)));
  // HEADER_INVALID on --remove-header: `mtls-tray status --profile acme` names the headers file.
  assert.match(w.cli(['status', '--profile', 'acme']).stdout, /headers\s+.*current\/headers/);
});
