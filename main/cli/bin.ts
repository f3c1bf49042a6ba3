/**
 * `dist/cli.js`: the CLI as a Node program. The same runCli serves the packaged app's
 * `--cli` mode (main/app), which passes its own binary as the way to call the CLI again.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { createAppService } from '../services/create-app-service';
import { main } from './cli';

const script = resolve(process.argv[1] ?? 'dist/cli.js');
void main(process.argv.slice(2), (dataDir) =>
  createAppService({
    dataDir,
    env: process.env,
    platform: process.platform,
    homedir: homedir(),
    cliCommand: [process.execPath, script],
  }),
);
