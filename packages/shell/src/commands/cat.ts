/**
 * cat: print one or more of the lab's files.
 */
import type { Command } from '../command';
import { byPrefix } from '../complete';
import { UsageError } from '../errors';

export const cat: Command = {
  name: 'cat',
  summary: "Print a lab file: cat <file>",
  usage: () => 'Usage: cat <file> [<file> ...]\n\nPrints the files, one after the other. `ls` lists them.\n',
  async run(args, env) {
    if (args.length === 0) throw new UsageError('cat: missing file name', '`ls` lists the files of this lab');
    for (const name of args) {
      const text = env.files.read(name);
      env.out.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    }
    return 0;
  },
  complete: (_before, partial, env) => byPrefix(env.files.list().map((f) => f.name), partial),
};
