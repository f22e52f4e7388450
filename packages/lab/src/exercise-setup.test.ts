/**
 * A live lab created for an exercise runs the manifest's set-up exactly as the grading lab
 * does, on start and again on `lab reset`, so both start from the same state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@kil/engine';
import { GraderLab, runSetup, SetupError } from '@kil/grader';
import { transactions } from '../../../exercises/02-transactions/exercise';
import { Lab } from './lab';
import { LabManager } from './manager';
import { exerciseLabShape } from './shape';

const managers: LabManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.dispose();
});

/** Each partition of `topic` as `p<partition>:<high watermark>`. */
const highWatermarks = (snapshot: ClusterSnapshot, topic: string) =>
  snapshot.topics.find((t) => t.name === topic)?.partitions.map((p) => `p${p.partition}:${p.highWatermark}`) ?? [];

describe('exercise set-up in a live lab', () => {
  it('starts with the records the set-up wrote, partition by partition as the grading lab has them', async () => {
    expect(transactions.setup.length).toBeGreaterThan(0);
    const manager = new LabManager();
    managers.push(manager);
    const lab = await manager.labFor('session-a', 'exercise:transactions', exerciseLabShape(transactions));
    const live = highWatermarks(lab.clusterApi.snapshot(), 'payments');

    const grading = await GraderLab.start(transactions.lab);
    await runSetup(transactions.setup, (line) => grading.runLine(line));
    expect(live).toEqual(highWatermarks(grading.cluster.snapshot(), 'payments'));
    // Six payments in all, spread by key over the three partitions.
    expect(live.reduce((n, p) => n + Number(p.split(':')[1]), 0)).toBe(6);
    expect(highWatermarks(lab.clusterApi.snapshot(), 'ledger')).toEqual(['p0:0', 'p1:0', 'p2:0']);
  });

  it('runs the set-up again on lab reset, after the learner changed things', async () => {
    const lab = await Lab.start('setup-reset', exerciseLabShape(transactions));
    try {
      const before = highWatermarks(lab.clusterApi.snapshot(), 'payments');
      await lab.exec(1, 'kafka-topics --bootstrap-server localhost:9092 --delete --topic payments');
      await lab.exec(2, 'kafka-topics --bootstrap-server localhost:9092 --create --topic extra --partitions 1 --replication-factor 1');
      expect(highWatermarks(lab.clusterApi.snapshot(), 'payments')).toEqual([]);
      await lab.reset();
      expect(highWatermarks(lab.clusterApi.snapshot(), 'payments')).toEqual(before);
      expect(lab.clusterApi.snapshot().topics.map((t) => t.name)).not.toContain('extra');
    } finally {
      lab.dispose();
    }
  });

  it('keeps files the set-up wrote, and refuses to start on a set-up line that fails', async () => {
    const lab = await Lab.start('setup-files', { brokers: 1, controllers: 1, setup: [`write plan.json '{"version":1}'`] });
    try {
      let out = '';
      lab.attach({ send: (m) => void (m.t === 'out' && (out += m.text)) });
      await lab.exec(1, 'cat plan.json');
      expect(out).toContain('{"version":1}');
    } finally {
      lab.dispose();
    }
    await expect(Lab.start('setup-broken', { brokers: 1, controllers: 1, setup: ['kafka-topics --bootstrap-server localhost:9092 --describe --topic nowhere'] })).rejects.toThrow(SetupError);
  });
});
