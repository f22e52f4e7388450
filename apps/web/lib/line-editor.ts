/**
 * Line editing for the lab terminal, kept apart from xterm so it can be unit-tested:
 * it turns keystrokes into edits of one line plus a history, and says what to redraw.
 */
export type EditorAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'redraw' }
  | { readonly kind: 'submit'; readonly line: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'eof' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'complete' };

export const historyMax = 200;

export class LineEditor {
  line = '';
  cursor = 0;
  private history: string[] = [];
  private historyIndex = 0;
  private draft = '';

  /** Feed one chunk from xterm's onData (a key or a pasted string). */
  feed(data: string): EditorAction[] {
    const actions: EditorAction[] = [];
    const special = this.special(data);
    if (special) return [special];
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        actions.push(this.submit());
      } else if (ch >= ' ' && ch !== '\x7f') {
        this.insert(ch);
        actions.push({ kind: 'redraw' });
      }
    }
    return actions;
  }

  setLine(line: string): void {
    this.line = line;
    this.cursor = line.length;
  }

  private special(data: string): EditorAction | null {
    switch (data) {
      case '\x03':
        this.setLine('');
        return { kind: 'interrupt' };
      case '\x04':
        return this.line === '' ? { kind: 'eof' } : this.deleteAt(this.cursor);
      case '\x0c':
        return { kind: 'clear' };
      case '\t':
        return { kind: 'complete' };
      case '\x7f':
      case '\b':
        return this.cursor > 0 ? this.deleteAt(this.cursor - 1, true) : { kind: 'none' };
      case '\x1b[3~':
        return this.deleteAt(this.cursor);
      case '\x1b[D':
        return this.move(this.cursor - 1);
      case '\x1b[C':
        return this.move(this.cursor + 1);
      case '\x1b[H':
      case '\x1bOH':
      case '\x01':
        return this.move(0);
      case '\x1b[F':
      case '\x1bOF':
      case '\x05':
        return this.move(this.line.length);
      case '\x15':
        this.line = this.line.slice(this.cursor);
        this.cursor = 0;
        return { kind: 'redraw' };
      case '\x0b':
        this.line = this.line.slice(0, this.cursor);
        return { kind: 'redraw' };
      case '\x17':
        return this.deleteWord();
      case '\x1b[A':
        return this.browse(-1);
      case '\x1b[B':
        return this.browse(1);
      default:
        return data.startsWith('\x1b') ? { kind: 'none' } : null;
    }
  }

  private insert(ch: string): void {
    this.line = this.line.slice(0, this.cursor) + ch + this.line.slice(this.cursor);
    this.cursor += ch.length;
  }

  private deleteAt(index: number, moveBack = false): EditorAction {
    if (index < 0 || index >= this.line.length) return { kind: 'none' };
    this.line = this.line.slice(0, index) + this.line.slice(index + 1);
    if (moveBack) this.cursor--;
    return { kind: 'redraw' };
  }

  private deleteWord(): EditorAction {
    const before = this.line.slice(0, this.cursor).replace(/\S+\s*$/, '');
    this.line = before + this.line.slice(this.cursor);
    this.cursor = before.length;
    return { kind: 'redraw' };
  }

  private move(to: number): EditorAction {
    const next = Math.max(0, Math.min(this.line.length, to));
    if (next === this.cursor) return { kind: 'none' };
    this.cursor = next;
    return { kind: 'redraw' };
  }

  private browse(direction: -1 | 1): EditorAction {
    if (this.history.length === 0) return { kind: 'none' };
    if (this.historyIndex === this.history.length) this.draft = this.line;
    const next = Math.max(0, Math.min(this.history.length, this.historyIndex + direction));
    if (next === this.historyIndex) return { kind: 'none' };
    this.historyIndex = next;
    this.setLine(next === this.history.length ? this.draft : (this.history[next] ?? ''));
    return { kind: 'redraw' };
  }

  private submit(): EditorAction {
    const line = this.line;
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > historyMax) this.history.shift();
    }
    this.historyIndex = this.history.length;
    this.draft = '';
    this.setLine('');
    return { kind: 'submit', line };
  }
}

/** Longest common prefix of the candidates, for tab completion. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Escape sequences that redraw an edited line that may wrap over several rows: go back
 * to the row where the prompt starts, clear to the end of the screen, write prompt and
 * line, then put the cursor where the editor's cursor is.
 */
export function redrawSequence(options: {
  readonly columns: number;
  readonly promptText: string;
  readonly promptWidth: number;
  /** Cursor position (characters after the prompt) as last drawn. */
  readonly drawnCursor: number;
  readonly line: string;
  readonly cursor: number;
}): string {
  const { columns, promptText, promptWidth, drawnCursor, line, cursor } = options;
  const width = Math.max(1, columns);
  const rowOf = (position: number) => Math.floor((promptWidth + position) / width);
  let out = '';
  const up = rowOf(drawnCursor);
  if (up > 0) out += `\x1b[${up}A`;
  out += '\r\x1b[J' + promptText + line;
  const end = promptWidth + line.length;
  // At an exact multiple of the width the terminal holds the cursor in the last column;
  // a CR LF pair moves it to the next row so the arithmetic below stays true.
  if (end > 0 && end % width === 0) out += '\r\n';
  const target = promptWidth + cursor;
  const rowsBack = Math.floor(end / width) - Math.floor(target / width);
  if (rowsBack > 0) out += `\x1b[${rowsBack}A`;
  out += '\r';
  const column = target % width;
  if (column > 0) out += `\x1b[${column}C`;
  return out;
}
