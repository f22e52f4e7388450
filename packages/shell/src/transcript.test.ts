import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newGeoTestLab, newHostedTestLab, newTestLab, type TestLab } from './testing';
import { COMMANDS } from './commands';
import { Shell } from './shell';
import { outputMatches, parseTranscript } from './transcript';
import type { ShellContext } from './types';

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

/** `@lab geo=1`: two regions; `@lab host=1`: a lab with time, status, reset and rewind; else a bare cluster. */
function labFor(directives: Readonly<Record<string, number>>): Promise<TestLab> {
  const { host, geo, ...options } = directives;
  if (geo) return newGeoTestLab();
  return host ? newHostedTestLab(options) : newTestLab(options);
}

describe.each(files)('transcript %s', (file) => {
  it('prints what the transcript says', async () => {
    const transcript = parseTranscript(readFileSync(join(dir, file), 'utf8'));
    const lab = await labFor(transcript.lab);
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

/**
 * Transcripts double as the terminal's documentation, so every command must appear in one,
 * with its main failure too: a learner reads what the error looks like before meeting it.
 */
describe('transcript coverage', () => {
  const steps = files.flatMap((file) =>
    parseTranscript(readFileSync(join(dir, file), 'utf8')).steps.flatMap((step) => (step.kind === 'command' ? [{ file, ...step }] : [])),
  );
  const registry = new Shell({ cluster: {} as ShellContext['cluster'] });
  const stepsOf = (name: string) => steps.filter((s) => registry.find(s.command.split(/\s+/)[0] ?? '')?.name === name);
  /** Commands that cannot fail: they take no arguments that could be wrong. */
  const cannotFail = new Set(['clear', 'ls']);
  /**
   * Tools whose failures in the lab carry no Kafka error code: they read lab files, check
   * their input before any request goes out, or (the perf tests) would wait out Kafka's
   * two-minute delivery timeout before a refusal shows.
   */
  const noKafkaErrorName = new Map([
    ['kafka-dump-log', 'reads segment files; its errors are about files'],
    ['kafka-get-offsets', 'filters that match nothing fail before a ListOffsets request'],
    ['kafka-reassign-partitions', 'plans are checked before AlterPartitionReassignments is sent'],
    ['kafka-metadata-quorum', 'DescribeQuorum has no learner-facing error in the lab'],
    ['kafka-producer-perf-test', 'refused records wait for delivery.timeout.ms (120 s) first'],
    ['kafka-consumer-perf-test', 'a missing topic is found in metadata before any fetch'],
  ]);

  it.each(COMMANDS.map((c) => c.name))('%s is exercised by a transcript, including a failure', (name) => {
    const mine = stepsOf(name);
    expect(mine.length, `no transcript runs ${name}`).toBeGreaterThan(0);
    if (!cannotFail.has(name)) expect(mine.some((s) => s.exit !== 0), `no transcript shows ${name} failing`).toBe(true);
  });

  it.each(COMMANDS.filter((c) => c.name.startsWith('kafka-')).map((c) => c.name))('%s shows an unknown option and a Kafka error by name', (name) => {
    const outputs = stepsOf(name).map((s) => s.expected.join('\n'));
    expect(outputs.some((o) => /is not a recognized option|unrecognized arguments/.test(o)), `no transcript gives ${name} an unknown option`).toBe(true);
    if (noKafkaErrorName.has(name)) return;
    expect(outputs.some((o) => /\b[A-Z][A-Z_]{4,}\b \(error code \d+\)|error: [A-Z][A-Z_]{4,}|: [A-Z][A-Z_]{4,}:/.test(o)), `no transcript shows ${name} failing with a Kafka error name`).toBe(true);
  });
});
