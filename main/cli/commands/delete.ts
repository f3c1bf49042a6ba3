/** `delete NAME`: remove a profile and its generations (asks unless --yes; never the active one while others exist). */
import { UserError } from '../../base/errors';
import type { Command } from '../command';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'remove a profile and its generations (not the active one while others exist)',
  usage: 'delete NAME [--yes]',
  options: { yes: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const name = positionals[0]!;
    if (!values.yes && !(await ctx.confirm(`Delete profile ${name} and all its certificates and keys?`))) {
      throw new UserError('NOT_CONFIRMED', 'Nothing was deleted', ctx.interactive ? undefined : `Run again with --yes: mtls-tray delete ${name} --yes`);
    }
    await ctx.service.deleteProfile(name);
    return { json: { ok: true, deleted: name }, text: `Deleted profile ${name}.` };
  },
};
