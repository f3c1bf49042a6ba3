/** `rotate`: a new key and certificate (the tray's "Rotate certificate"). */
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const rotateCommand: Command = {
  name: 'rotate',
  summary: 'new key and certificate',
  usage: 'rotate [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const res = await service.rotate(profileOf(values));
    return { json: res, text: res.message };
  },
};
