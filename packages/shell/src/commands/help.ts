/**
 * help: every command with one line, or one command's usage.
 */
import type { Command } from '../command';
import { byPrefix } from '../complete';
import { ShellError } from '../errors';
import { closest } from '../suggest';

export const help: Command = {
  name: 'help',
  summary: 'List the commands, or show how to use one: help <command>',
  usage: () => 'Usage: help [command]\n\nWithout a command, lists every command with one line each.\nWith a command, prints its usage (the same as `<command> --help`).\n',
  async run(args, env) {
    const [name] = args;
    if (name !== undefined) {
      const command = env.registry.find(name);
      if (!command) {
        const guess = closest(name, env.registry.all().map((c) => c.name));
        throw new ShellError(`help: no command named '${name}'`, guess ? `Did you mean \`help ${guess}\`?` : 'type `help` to list the commands');
      }
      env.out.write(command.usage());
      return 0;
    }
    const commands = env.registry.all();
    const width = Math.max(...commands.map((c) => c.name.length));
    env.out.line('Commands (type `help <command>` or `<command> --help` for details):');
    for (const command of commands) env.out.line(`  ${command.name.padEnd(width)}  ${command.summary}`);
    return 0;
  },
  complete(before, partial, env) {
    return before.length === 0 ? byPrefix(env.registry.all().map((c) => c.name), partial) : [];
  },
};
