/** `switch NAME`: another profile becomes the active one (the stable paths follow it). */
import type { Command } from '../command';
import { formatSettingsResults } from '../format';

export const switchCommand: Command = {
  name: 'switch',
  summary: 'make another profile the active one',
  usage: 'switch NAME',
  options: {},
  positionals: [1, 1],
  async run({ service }, { positionals }) {
    const res = await service.switchProfile(positionals[0]!);
    const settings = res.settings.some((s) => s.changed) ? formatSettingsResults(res.settings, false) : 'Editor settings unchanged.';
    return { json: res, text: [`Active profile: ${res.profileId}`, settings].join('\n') };
  },
};
