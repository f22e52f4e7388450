/**
 * Exercises' property files: every starting file is valid, a topic file names a topic
 * the lab has, and applying files through the lab's client host does what the page does
 * on Run (the broker judges topic values and answers Kafka's INVALID_CONFIG).
 */
import { describe, expect, it } from 'vitest';
import { clientDefaultsFrom, topicConfigsFrom, type PropertyFile } from '@kil/client';
import { exercises } from '../../../exercises/index';
import { GraderLab } from './grader-lab';

const withFiles = exercises.filter((e) => (e.properties ?? []).length > 0);

describe('exercise property files', () => {
  it('are used by at least one exercise', () => {
    expect(withFiles.map((e) => e.id)).toContain('transactions');
  });

  it.each(withFiles.map((e) => [e.id, e] as const))('%s: start valid, with unique names, on topics its lab has', (_id, manifest) => {
    const files = manifest.properties ?? [];
    expect(new Set(files.map((f) => f.file)).size).toBe(files.length);
    expect(() => clientDefaultsFrom(files)).not.toThrow();
    const topics = new Set((manifest.lab.topics ?? []).map((t) => t.name));
    for (const { topic } of topicConfigsFrom(files)) expect(topics.has(topic)).toBe(true);
  });

  it('alters the topic on the engine and refuses a value the broker refuses', async () => {
    const transactions = exercises.find((e) => e.id === 'transactions')!;
    const lab = await GraderLab.start(transactions.lab);
    const ledger = (text: string): PropertyFile[] => [{ file: 'ledger.properties', kind: 'topic', topic: 'ledger', text }];
    await lab.runProgram('apply', async (kafka) => void (await kafka.withProperties(ledger('min.insync.replicas=2'))));
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'ledger')?.configs['min.insync.replicas']).toBe('2');

    const refused = await lab.runProgram('apply', async (kafka) => void (await kafka.withProperties(ledger('min.insync.replicas=0'))));
    expect(refused.ok).toBe(false);
    expect(refused.output).toContain('INVALID_CONFIG: ledger.properties (topic ledger): Invalid value 0 for configuration min.insync.replicas');
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'ledger')?.configs['min.insync.replicas']).toBe('2');
  });
});
