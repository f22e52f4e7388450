import { describe, expect, it } from 'vitest';
import { commonPrefix, LineEditor, redrawSequence } from './line-editor';

describe('LineEditor', () => {
  it('submits typed text and keeps it in history', () => {
    const editor = new LineEditor();
    editor.feed('kafka-topics --list');
    expect(editor.feed('\r')).toEqual([{ kind: 'submit', line: 'kafka-topics --list' }]);
    expect(editor.line).toBe('');
    editor.feed('\x1b[A');
    expect(editor.line).toBe('kafka-topics --list');
    editor.feed('\x1b[B');
    expect(editor.line).toBe('');
  });

  it('edits in the middle of the line', () => {
    const editor = new LineEditor();
    editor.feed('helo');
    editor.feed('\x1b[D');
    editor.feed('l');
    expect(editor.line).toBe('hello');
    editor.feed('\x01');
    editor.feed('\x1b[3~');
    expect(editor.line).toBe('ello');
    editor.feed('\x05');
    editor.feed('\x7f');
    expect(editor.line).toBe('ell');
  });

  it('deletes the previous word with Ctrl-W and the head with Ctrl-U', () => {
    const editor = new LineEditor();
    editor.feed('broker stop 2');
    editor.feed('\x17');
    expect(editor.line).toBe('broker stop ');
    editor.feed('\x15');
    expect(editor.line).toBe('');
  });

  it('turns Ctrl-C into an interrupt that drops the line', () => {
    const editor = new LineEditor();
    editor.feed('partial');
    expect(editor.feed('\x03')).toEqual([{ kind: 'interrupt' }]);
    expect(editor.line).toBe('');
  });

  it('submits every line of a multi-line paste', () => {
    const editor = new LineEditor();
    const actions = editor.feed('a\rb\r');
    expect(actions.filter((a) => a.kind === 'submit')).toEqual([
      { kind: 'submit', line: 'a' },
      { kind: 'submit', line: 'b' },
    ]);
  });

  it('ignores unknown escape sequences', () => {
    const editor = new LineEditor();
    expect(editor.feed('\x1b[15~')).toEqual([{ kind: 'none' }]);
    expect(editor.line).toBe('');
  });
});

describe('commonPrefix', () => {
  it('finds the shared start of completions', () => {
    expect(commonPrefix(['kafka-topics', 'kafka-transactions'])).toBe('kafka-t');
    expect(commonPrefix([])).toBe('');
  });
});

describe('redrawSequence', () => {
  const base = { promptText: '$ ', promptWidth: 2 };

  it('redraws a short line in place', () => {
    expect(redrawSequence({ ...base, columns: 80, drawnCursor: 2, line: 'abc', cursor: 3 })).toBe('\r\x1b[J$ abc\r\x1b[5C');
  });

  it('climbs back over wrapped rows before clearing', () => {
    const seq = redrawSequence({ ...base, columns: 10, drawnCursor: 15, line: 'x'.repeat(16), cursor: 16 });
    expect(seq.startsWith('\x1b[1A\r\x1b[J$ ')).toBe(true);
    expect(seq.endsWith('\r\x1b[8C')).toBe(true);
  });

  it('moves the cursor up to an earlier row when editing mid-line', () => {
    const seq = redrawSequence({ ...base, columns: 10, drawnCursor: 16, line: 'x'.repeat(16), cursor: 3 });
    expect(seq.endsWith('\x1b[1A\r\x1b[5C')).toBe(true);
  });
});
