import { describe, expect, it } from 'vitest';
import { gradeCli, parseArgs } from './cli';
import { topicExists } from './criteria';
import type { ExerciseManifest } from './types';

const manifest: ExerciseManifest = {
  id: 'cli-test',
  title: 'CLI test',
  lab: { brokers: 1, controllers: 1 },
  setup: [],
  starter: [],
  tasks: [{ id: 'topic', title: 'Make t', description: '', criteria: [topicExists('t')], hints: ['make it'], solution: [{ kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic t --partitions 1 --replication-factor 1' }] }],
};

async function run(argv: string[], files: Record<string, string> = {}) {
  let out = '';
  const code = await gradeCli(argv, [manifest], { out: (t) => (out += t), readFile: (f) => files[f] ?? '' });
  return { code, out };
}

describe('grade CLI', () => {
  it('parses the three modes and rejects the rest', () => {
    expect(parseArgs(['x', '--solution'])).toEqual({ id: 'x', mode: 'solution' });
    expect(parseArgs(['--transcript', 'f.txt', 'x'])).toEqual({ id: 'x', mode: 'transcript', file: 'f.txt' });
    expect(typeof parseArgs(['x'])).toBe('string');
    expect(typeof parseArgs(['x', '--solution', '--starter'])).toBe('string');
    expect(typeof parseArgs(['x', '--transcript'])).toBe('string');
  });

  it('exits 0 only when every check passes', async () => {
    const solution = await run(['cli-test', '--solution']);
    expect(solution.code).toBe(0);
    expect(solution.out).toContain('PASS  topic');
    const starter = await run(['cli-test', '--starter']);
    expect(starter.code).toBe(1);
    expect(starter.out).toContain('observed no topic named t');
  });

  it('grades a transcript file', async () => {
    const good = await run(['cli-test', '--transcript', 'a.txt'], { 'a.txt': '# my session\nkafka-topics --bootstrap-server localhost:9092 --create --topic t --partitions 1 --replication-factor 1\n' });
    expect(good.code).toBe(0);
    const wrong = await run(['cli-test', '--transcript', 'b.txt'], { 'b.txt': 'kafka-topics --bootstrap-server localhost:9092 --create --topic u --partitions 1 --replication-factor 1\n' });
    expect(wrong.code).toBe(1);
  });

  it('exits 2 for usage errors and unknown exercises', async () => {
    expect((await run(['cli-test'])).code).toBe(2);
    expect((await run(['nope', '--solution'])).out).toContain('unknown exercise nope');
  });
});
