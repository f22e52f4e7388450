/**
 * ls: the lab's files with their sizes (the files Kafka's JSON-driven tools read).
 */
import type { Command } from '../command';
import { formatColumns } from '../output';

export const ls: Command = {
  name: 'ls',
  aliases: ['dir'],
  summary: "List the lab's files (JSON plans for kafka-reassign-partitions and friends)",
  usage: () => 'Usage: ls\n\nLists the files of this lab with their sizes in bytes. `cat <file>` prints one,\n`write <file> \'<text>\'` creates or replaces one, `rm <file>` removes one.\n',
  async run(_args, env) {
    const files = env.files.list();
    if (files.length === 0) {
      env.out.line('This lab has no files yet.');
      env.out.hint("`write plan.json '{\"version\":1,\"partitions\":[]}'` creates one");
      return 0;
    }
    env.out.line(formatColumns(files.map((f) => [String(f.sizeBytes).padStart(6), f.name])));
    return 0;
  },
};
