/** `refresh`: what coder.tlsCertRefreshCommand runs; its exit code is the editor's only signal. */
import type { Command } from '../command';

export const refreshCommand: Command = {
  name: 'refresh',
  summary: 'for coder.tlsCertRefreshCommand: renew if needed; exit 0 only with valid credentials in place',
  usage: 'refresh',
  options: {},
  positionals: [0, 0],
  async run({ service }) {
    const res = await service.refresh();
    return { json: res, text: res.message, code: res.ok ? 0 : 1 };
  },
};
