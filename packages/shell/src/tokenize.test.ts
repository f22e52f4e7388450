import { describe, expect, it } from 'vitest';
import { quoteWord, tokenize } from './tokenize';

function words(line: string): string[] {
  const result = tokenize(line);
  if (!result.ok) throw new Error(result.error);
  return result.words;
}

describe('tokenize', () => {
  it('splits on runs of spaces and tabs', () => {
    expect(words('  kafka-topics   --list\t--bootstrap-server localhost:9092 ')).toEqual(['kafka-topics', '--list', '--bootstrap-server', 'localhost:9092']);
  });

  it('keeps quoted spaces and joins adjacent quoted parts into one word', () => {
    expect(words(`--message "hello world" --message 'k1:v 1' a"b c"d`)).toEqual(['--message', 'hello world', '--message', 'k1:v 1', 'ab cd']);
  });

  it('treats single quotes literally and honours escapes in double quotes', () => {
    expect(words(`'a\\"b' "x\\"y" z\\ w`)).toEqual(['a\\"b', 'x"y', 'z w']);
  });

  it('keeps an empty quoted word', () => {
    expect(words(`--message ""`)).toEqual(['--message', '']);
  });

  it('reports an unclosed quote', () => {
    const result = tokenize(`--message "oops`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('missing closing "');
  });

  it('refuses pipes and chaining unless quoted', () => {
    const piped = tokenize('kafka-topics --list | grep orders');
    expect(piped.ok).toBe(false);
    if (!piped.ok) expect(piped.error).toContain("'|' is not supported");
    expect(words(`--message '|'`)).toEqual(['--message', '|']);
  });

  it('quoteWord round-trips through tokenize', () => {
    for (const w of ['orders', 'a b', "it's", '', 'k=v', '--topic']) expect(words(quoteWord(w))).toEqual([w]);
  });
});
