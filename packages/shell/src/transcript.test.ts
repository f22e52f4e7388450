import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newTestLab } from './testing';
import { outputMatches, parseTranscript } from './transcript';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'transcripts');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('transcript format', () => {
  it('parses commands, expected output, exit codes and directives', () => {
    const t = parseTranscript('# c\n@lab brokers=1\n$ help\nline\n[exit 2]\n@advance 10\n$ clear\n');
    expect(t.lab).toEqual({ brokers: 1 });
    expect(t.steps).toEqual([
      { kind: 'command', command: 'help', expected: ['line'], exit: 2, line: 3 },
      { kind: 'advance', ms: 10, line: 6 },
      { kind: 'command', command: 'clear', expected: [], exit: 0, line: 7 },
    ]);
  });

  it('matches <any> within a line and ... across lines', () => {
    expect(outputMatches(['Topic: a\tTopicId: <any>\tX'], ['Topic: a\tTopicId: abc\tX'])).toBe(true);
    expect(outputMatches(['a', '...', 'z'], ['a', 'b', 'c', 'z'])).toBe(true);
    expect(outputMatches(['a', '...', 'z'], ['a', 'b'])).toBe(false);
    expect(outputMatches(['a'], ['a', 'b'])).toBe(false);
  });
});

describe.each(files)('transcript %s', (file) => {
  it('prints what the transcript says', async () => {
    const transcript = parseTranscript(readFileSync(join(dir, file), 'utf8'));
    const lab = await newTestLab(transcript.lab);
    for (const step of transcript.steps) {
      if (step.kind === 'advance') {
        lab.advance(step.ms);
        continue;
      }
      if (step.kind === 'file') {
        lab.files.write(step.name, step.text);
        continue;
      }
      const { code, output } = await lab.run(step.command);
      const actual = output.replace(/\n$/, '').split('\n');
      const where = `${file}:${step.line} $ ${step.command}\n--- actual output ---\n${output}`;
      expect(outputMatches(step.expected, output === '' ? [] : actual), where).toBe(true);
      expect(code, where).toBe(step.exit);
    }
  });
});
