import { describe, expect, it } from 'vitest';
import { batchedSender } from './batched-send';

function fakes(open = true) {
  const log: string[] = [];
  let depth = 0;
  const socket = {
    cork: () => {
      depth++;
      log.push('cork');
    },
    uncork: () => {
      depth--;
      log.push('uncork');
    },
  };
  const ws = { readyState: open ? 1 : 3, OPEN: 1, send: (text: string) => log.push(`send ${text} (corked ${depth > 0})`) };
  return { log, socket, ws };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchedSender', () => {
  it('corks once for every frame of a turn and uncorks after it, keeping their order', async () => {
    const { log, socket, ws } = fakes();
    const send = batchedSender(ws, socket);
    send('a');
    send('b');
    await Promise.resolve().then(() => send('c'));
    await nextTurn();
    expect(log).toEqual(['cork', 'send a (corked true)', 'send b (corked true)', 'send c (corked true)', 'uncork']);
    send('d');
    await nextTurn();
    expect(log.slice(5)).toEqual(['cork', 'send d (corked true)', 'uncork']);
  });

  it('sends nothing and leaves the socket alone once the socket is no longer open', async () => {
    const { log, socket, ws } = fakes(false);
    batchedSender(ws, socket)('a');
    await nextTurn();
    expect(log).toEqual([]);
  });
});
