/** `rollback`: the previous generation becomes current again. */
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'make the previous generation current again',
  usage: 'rollback [--profile NAME]',
  options: PROFILE_OPTION,
  positionals: [0, 0],
  async run({ service }, { values }) {
    const res = await service.rollback(profileOf(values));
    return { json: res, text: res.message };
  },
};
