/**
 * rm: remove lab files.
 */
import type { Command } from '../command';
import { byPrefix } from '../complete';
import { UsageError } from '../errors';

export const rm: Command = {
  name: 'rm',
  summary: 'Remove a lab file: rm <file>',
  usage: () => 'Usage: rm <file> [<file> ...]\n\nRemoves files of this lab. `ls` lists them.\n',
  async run(args, env) {
    if (args.length === 0) throw new UsageError('rm: missing file name', '`ls` lists the files of this lab');
    for (const name of args) env.files.remove(name);
    return 0;
  },
  complete: (_before, partial, env) => byPrefix(env.files.list().map((f) => f.name), partial),
};
