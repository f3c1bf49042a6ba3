/**
 * The gateway helper never leaves nginx behind: stop() ends it and removes its dir; a test
 * process that exits without stopping it, or that is SIGKILLed, takes nginx with it; and
 * `maxLifetimeMs` ends it regardless. Start-up errors carry nginx's own message.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { canConnect, startNginxGateway, type NginxGatewayOptions } from '../helpers/nginx-gateway';
import { createTestCa } from './openssl-pki';

const HELPER = fileURLToPath(new URL('../helpers/nginx-gateway.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

let tmp: string;
let opts: NginxGatewayOptions;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gw-life-'));
  const ca = await createTestCa(tmp, 'ca');
  const server = await ca.issue({ cn: 'localhost', sans: ['DNS:localhost'], usage: 'server' });
  opts = { serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: ca.certPem };
});

after(() => rmSync(tmp, { recursive: true, force: true }));

/** Alive and not a zombie (an orphan waits for init to reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    if (existsSync('/proc/self')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function eventually(what: string, cond: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`still not the case after ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


/** Starts a gateway in a child Node process; resolves with what it reports, the child still running or exiting by `mode`. */
async function gatewayInChild(mode: 'exit' | 'hang', maxLifetimeMs?: number) {
  const script = join(tmp, `child-${mode}-${Date.now()}.mts`);
  writeFileSync(join(tmp, 'opts.json'), JSON.stringify({ ...opts, maxLifetimeMs }));
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNginxGateway } from ${JSON.stringify(HELPER)};
const gw = await startNginxGateway(JSON.parse(readFileSync(${JSON.stringify(join(tmp, 'opts.json'))}, 'utf8')));
const pid = Number(readFileSync(join(gw.dir, 'nginx.pid'), 'utf8'));
console.log(JSON.stringify({ dir: gw.dir, port: gw.port, pid }));
${mode === 'hang' ? 'setInterval(() => {}, 1000);' : '// ends here without stop(): the exit hook must clean up'}
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = await new Promise<{ dir: string; port: number; pid: number }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    void exited.then((code) => reject(new Error(`child exited (${code}) before reporting: ${err}`)));
  });
  return { child, exited, info };
}

describe('gateway lifecycle', () => {
  test('stop() ends nginx, frees the port and removes its dir', async () => {
    const gw = await startNginxGateway(opts);
    const pid = Number(readFileSync(join(gw.dir, 'nginx.pid'), 'utf8'));
    assert.ok(alive(pid));
    assert.equal(await canConnect(gw.port), true);
    await gw.stop();
    assert.equal(alive(pid), false);
    assert.equal(existsSync(gw.dir), false);
    assert.equal(await canConnect(gw.port), false);
    await gw.stop(); // idempotent
  });

  test('a test process that exits without stop() takes nginx and its dir with it', async () => {
    const { exited, info } = await gatewayInChild('exit');
    assert.equal(await exited, 0);
    await eventually('nginx gone after the test process exited', () => !alive(info.pid));
    assert.equal(existsSync(info.dir), false);
  });

  test('a SIGKILLed test process still takes nginx with it (watchdog on its stdin pipe)', async () => {
    const { child, exited, info } = await gatewayInChild('hang');
    assert.ok(alive(info.pid));
    child.kill('SIGKILL');
    await exited;
    await eventually('nginx gone after SIGKILL of its owner', () => !alive(info.pid));
    rmSync(info.dir, { recursive: true, force: true }); // no hook ran to remove it
  });

  test('maxLifetimeMs ends nginx even while its owner lives on', async () => {
    const { child, exited, info } = await gatewayInChild('hang', 1000);
    try {
      await eventually('nginx gone after its lifetime', () => !alive(info.pid));
    } finally {
      child.kill('SIGKILL');
      await exited;
      rmSync(info.dir, { recursive: true, force: true });
    }
  });

  test('a start-up failure reports nginx\'s own error and leaves nothing behind', async () => {
    // os.tmpdir() follows TMPDIR, so the helper's temp dir lands where only this test looks.
    const privateTmp = mkdtempSync(join(tmp, 'tmpdir-'));
    const savedTmpdir = process.env['TMPDIR'];
    process.env['TMPDIR'] = privateTmp;
    try {
      await assert.rejects(
        startNginxGateway({ ...opts, serverKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
        (err: Error) => {
          assert.match(err.message, /nginx did not start/);
          assert.match(err.message, /\[emerg\].*(certificate key|PEM|key)/i);
          return true;
        },
      );
    } finally {
      if (savedTmpdir === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmpdir;
    }
    assert.deepEqual(readdirSync(privateTmp), []);
  });
});
