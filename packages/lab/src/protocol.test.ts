import { describe, expect, it } from 'vitest';
import { lineCharsMax, parseClientMessage, ProtocolError } from './protocol';

describe('parseClientMessage', () => {
  it('accepts each well-formed message', () => {
    expect(parseClientMessage('{"t":"exec","id":3,"line":"help"}')).toEqual({ t: 'exec', id: 3, line: 'help' });
    expect(parseClientMessage('{"t":"interrupt"}')).toEqual({ t: 'interrupt' });
    expect(parseClientMessage('{"t":"stdin","line":null}')).toEqual({ t: 'stdin', line: null });
    expect(parseClientMessage('{"t":"time","action":"step","ms":100}')).toEqual({ t: 'time', action: 'step', ms: 100 });
    expect(parseClientMessage('{"t":"time","action":"speed","speed":2}')).toEqual({ t: 'time', action: 'speed', speed: 2 });
    expect(parseClientMessage('{"t":"time","action":"rewind","seq":12}')).toEqual({ t: 'time', action: 'rewind', seq: 12 });
    expect(parseClientMessage('{"t":"share"}')).toEqual({ t: 'share' });
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'must be an object'],
    ['{"t":"exec","id":"1","line":"x"}', 'id must be a number'],
    ['{"t":"exec","id":1,"line":42}', 'line must be a string'],
    [`{"t":"exec","id":1,"line":"${'x'.repeat(lineCharsMax + 1)}"}`, 'longer than'],
    ['{"t":"time","action":"speed","speed":1e9}', 'speed must be a number'],
    ['{"t":"time","action":"warp"}', 'unknown time action'],
    ['{"t":"time","action":"rewind","seq":-1}', 'seq must be a number'],
    ['{"t":"shutdown"}', 'unknown message type'],
  ])('rejects %s', (raw, message) => {
    expect(() => parseClientMessage(raw)).toThrow(ProtocolError);
    expect(() => parseClientMessage(raw)).toThrow(message);
  });
});
