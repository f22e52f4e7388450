/**
 * clear: wipes the terminal screen and its scrollback (ANSI ED 2 and 3, then cursor home).
 */
import type { Command } from '../command';

export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

export const clear: Command = {
  name: 'clear',
  aliases: ['cls'],
  summary: 'Clear the terminal screen',
  usage: () => 'Usage: clear\n\nClears the screen and the scrollback.\n',
  async run(_args, env) {
    env.out.write(CLEAR_SCREEN);
    return 0;
  },
};
