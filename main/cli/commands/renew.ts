/** `renew`: the same key, a new certificate. */
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const renewCommand: Command = {
  name: 'renew',
  summary: 'same key, new certificate',
  usage: 'renew [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const res = await service.renew(profileOf(values));
    return { json: res, text: res.message };
  },
};
