/** `list`: the profiles, the active one marked. */
import type { Command } from '../command';
import { formatProfiles } from '../format';

export const listCommand: Command = {
  name: 'list',
  summary: 'list profiles',
  usage: 'list',
  options: {},
  positionals: [0, 0],
  async run({ service }) {
    const profiles = await service.listProfiles();
    return { json: profiles, text: formatProfiles(profiles) };
  },
};
