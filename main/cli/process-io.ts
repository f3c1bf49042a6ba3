/** The CliIo of a real process: stdout, stderr, and stdin read once, only when a command asks. */
import type { CliIo } from './command';

export function processIo(): CliIo {
  const stdinChunks: Buffer[] = [];
  let stdinRead: Promise<string> | null = null;
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // A getter: touching process.stdin sets up a stream, which costs a cold start dearly.
    get interactive() {
      return Boolean(process.stdin.isTTY);
    },
    cwd: process.cwd(),
    readStdin: () =>
      (stdinRead ??= new Promise((res, rej) => {
        // A terminal: one line is the answer; a pipe: everything until its end.
        if (process.stdin.isTTY) {
          process.stdin.once('data', (d) => {
            process.stdin.pause();
            res(d.toString());
          });
          return;
        }
        process.stdin.on('data', (d: Buffer) => stdinChunks.push(d));
        process.stdin.on('end', () => res(Buffer.concat(stdinChunks).toString('utf8')));
        process.stdin.on('error', rej);
      })),
  };
}
