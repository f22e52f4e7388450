/**
 * write: create or replace a lab file from one terminal line, since the lab shell has no
 * editors, heredocs or redirection: `write reassign.json '{"version":1,"partitions":[...]}'`.
 * JSON files are checked to parse, so a typo shows up here rather than in the tool later.
 */
import type { Command } from '../command';
import { byPrefix } from '../complete';
import { ShellError, UsageError } from '../errors';

export const write: Command = {
  name: 'write',
  summary: "Create or replace a lab file: write <file> '<text>'",
  usage: () =>
    "Usage: write <file> '<text>'\n\n" +
    'Creates or replaces <file> with <text> (quote it, so that spaces and JSON braces stay as typed).\n' +
    'A file whose name ends in .json must hold valid JSON. Example:\n' +
    '  write topics.json \'{"version":1,"topics":[{"topic":"orders"}]}\'\n',
  async run(args, env) {
    const [name, ...words] = args;
    if (name === undefined) throw new UsageError('write: missing file name', "write <file> '<text>'");
    if (words.length === 0) throw new UsageError(`write: missing the text for ${name}`, `write ${name} '<text>'`);
    const text = words.join(' ');
    if (name.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch (error) {
        throw new ShellError(`write: ${name} would not hold valid JSON: ${(error as Error).message}`, 'put the whole JSON in single quotes so the shell keeps its double quotes');
      }
    }
    const existed = env.files.has(name);
    env.files.write(name, text.endsWith('\n') ? text : `${text}\n`);
    env.out.line(`${existed ? 'Replaced' : 'Wrote'} ${name}.`);
    return 0;
  },
  complete: (before, partial, env) => (before.length === 0 ? byPrefix(env.files.list().map((f) => f.name), partial) : []),
};
