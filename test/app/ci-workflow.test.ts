/**
 * .github/workflows/ci.yml cannot run on these machines (no macOS, no Windows, no Electron
 * binary), so it is checked here: against GitHub's own published workflow schema (the
 * workflow-v1.0 schema of @actions/workflow-parser, which GitHub's Actions language service
 * uses), converted the way the runner converts it (expressions, matrix, steps), and for what the
 * project needs it to do: Linux, macOS and Windows on Node 22; `npm ci`, then the README's test
 * command with the Electron smoke test required to run (under Xvfb on Linux); then
 * `electron-builder --dir` per platform.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, '.github', 'workflows', 'ci.yml');

/** The schema's errors for a workflow text, after parsing and converting as the runner does. */
async function workflowErrors(content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const parsed = parseWorkflow({ name: 'ci.yml', content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value) {
    await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of parsed.context.errors.getErrors().map((x) => x.message)) if (!errors.includes(e)) errors.push(e);
  }
  return errors;
}

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = { jobs: Record<string, { 'runs-on': string; strategy: { matrix: { os: string[] } }; env?: Record<string, string>; steps: Step[] }> };

test('ci.yml is valid against GitHub\'s published workflow schema', async () => {
  assert.deepEqual(await workflowErrors(readFileSync(WORKFLOW, 'utf8')), []);
});

test('the schema check is real: a misspelt key, a bad expression and a step with two actions are refused', async () => {
  const good = readFileSync(WORKFLOW, 'utf8');
  for (const [what, bad] of [
    ['runs-on misspelt', good.replace('runs-on: ${{ matrix.os }}', 'run-on: ${{ matrix.os }}')],
    ['an unclosed expression', good.replace("if: runner.os == 'Linux'", "if: ${{ runner.os == 'Linux'")],
    ['uses and run in one step', good.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n        run: echo both\n')],
  ] as const) {
    assert.notEqual(bad, good, what);
    assert.ok((await workflowErrors(bad)).length > 0, `${what} must be an error`);
  }
});

test('ci.yml runs on Linux, macOS and Windows with Node 22: npm ci, the README test command with Electron required, then electron-builder --dir', () => {
  const wf = parseYaml(readFileSync(WORKFLOW, 'utf8')) as Workflow;
  const job = wf.jobs['test']!;
  assert.deepEqual(job.strategy.matrix.os.map((os) => os.split('-')[0]).sort(), ['macos', 'ubuntu', 'windows']);
  assert.equal(job['runs-on'], '${{ matrix.os }}');
  const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
  assert.equal(String(setupNode?.with?.['node-version']), '22');
  // The smoke test fails instead of skipping when it cannot run (test/electron/smoke.spec.ts).
  assert.equal(job.env?.['MTLS_TRAY_REQUIRE_ELECTRON'], '1');

  const runs = job.steps.map((s) => s.run?.trim() ?? '');
  const at = (re: RegExp) => runs.findIndex((r) => re.test(r));
  // The README's test command is `npm ci && npm test`: the same two, in that order, on every OS.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /```sh\nnpm ci && npm test\n```/);
  const install = at(/^npm ci$/);
  const electron = at(/node node_modules\/electron\/install\.js/);
  const linuxTest = job.steps.findIndex((s) => /^xvfb-run .*npm test$/.test(s.run ?? '') && s.if === "runner.os == 'Linux'");
  const otherTest = job.steps.findIndex((s) => s.run === 'npm test' && s.if === "runner.os != 'Linux'");
  const pack = at(/^npx electron-builder --dir\b/);
  for (const [name, i] of Object.entries({ install, electron, linuxTest, otherTest, pack })) assert.ok(i >= 0, `${name} step missing`);
  assert.ok(install < electron && electron < linuxTest && electron < otherTest && linuxTest < pack && otherTest < pack, 'install, binary, test, package: in that order');
  // The packaging smoke has no platform condition: it runs on all three.
  assert.equal(job.steps[pack]!.if, undefined);
});
