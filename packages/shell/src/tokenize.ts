/**
 * Splits a command line into words the way a POSIX shell does for the cases a learner
 * meets: single quotes keep everything literal, double quotes keep spaces and allow
 * backslash escapes, a backslash outside quotes escapes the next character.
 * Pipes, redirections and command chaining are not supported; we report them instead
 * of silently passing `|` to a tool as an argument.
 */

export type TokenizeResult =
  | { readonly ok: true; readonly words: string[] }
  | { readonly ok: false; readonly error: string };

const OPERATORS = new Set(['|', '||', '&&', '>', '>>', '<', ';', '&']);

export function tokenize(line: string): TokenizeResult {
  const words: string[] = [];
  const operators: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  let quotedWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
      quotedWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) endWord();
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote !== null) return { ok: false, error: `unexpected end of line: missing closing ${quote}` };
  if (inWord) endWord();
  if (operators.length > 0) {
    return {
      ok: false,
      error: `'${operators[0]}' is not supported here: this terminal runs one command at a time, without pipes or redirection`,
    };
  }
  return { ok: true, words };

  function endWord(): void {
    if (!quotedWord && OPERATORS.has(current)) operators.push(current);
    words.push(current);
    current = '';
    inWord = false;
    quotedWord = false;
  }
}

/** Quotes a word so that `tokenize` reads it back unchanged (used by completion). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_.,:=@%+/-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
