import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('kafka-topics', 'kafka-topics')).toBe(0);
    expect(editDistance('kafka-topicz', 'kafka-topics')).toBe(1);
    expect(editDistance('kafka-topcis', 'kafka-topics')).toBe(1);
    expect(editDistance('kafka-topic', 'kafka-topics')).toBe(1);
    expect(editDistance('abc', '')).toBe(3);
  });
});

describe('closest', () => {
  const commands = ['kafka-topics', 'kafka-configs', 'kafka-console-consumer', 'broker', 'help'];

  it('finds a near miss', () => {
    expect(closest('kafka-topicz', commands)).toBe('kafka-topics');
    expect(closest('brokr', commands)).toBe('broker');
  });

  it('accepts a unique prefix', () => {
    expect(closest('kafka-console', commands)).toBe('kafka-console-consumer');
  });

  it('gives nothing for an unrelated word', () => {
    expect(closest('ls', commands)).toBeUndefined();
    expect(closest('zookeeper-shell', commands)).toBeUndefined();
  });
});
