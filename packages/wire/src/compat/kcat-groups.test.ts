/**
 * kcat (librdkafka 2.0.2) with the coordinator APIs over TCP: the idempotent producer
 * (`-X enable.idempotence=true`), the transactional producer (`-X transactional.id=...`,
 * read back by a read_committed consumer), and `-G` balanced consumers: two members split
 * the partitions between them, commit their offsets on a clean exit, and a later member of
 * the same group resumes from those offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';
import { kcat, KcatProcess } from './kcat';

let lab: CompatCluster;
const running: KcatProcess[] = [];

beforeAll(async () => {
  lab = await CompatCluster.start({
    config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '5', 'transaction.state.log.num.partitions': '5' },
    topics: [
      { name: 'kcat-eos', numPartitions: 1, replicationFactor: 3 },
      { name: 'kcat-group', numPartitions: 4, replicationFactor: 2 },
    ],
  });
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  await lab?.close();
});

function member(groupId: string, extra: readonly string[] = []): KcatProcess {
  const consumer = new KcatProcess(lab.bootstrap(), ['-u', '-G', groupId, 'kcat-group', '-f', '%p %o %s\\n', '-X', 'auto.offset.reset=earliest', ...extra]);
  running.push(consumer);
  return consumer;
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('kcat producers', () => {
  it('-X enable.idempotence=true acquires a producer id and numbers its batches', async () => {
    const input = Array.from({ length: 10 }, (_, i) => `idem-${i}`).join('\n') + '\n';
    const produced = await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-eos', '-p', '0', '-X', 'enable.idempotence=true', '-d', 'eos'], { input });
    expect(produced.code, produced.stderr.slice(-2000)).toBe(0);
    const pid = /Acquired PID\{Id:(\d+),Epoch:(\d+)\}/.exec(produced.stderr);
    expect(pid).not.toBeNull();
    const leader = lab.cluster.snapshot().topics.find((t) => t.name === 'kcat-eos')?.partitions[0]?.leader as number;
    const [state] = await lab.cluster.broker(leader).describeProducers([{ topic: 'kcat-eos', partition: 0 }]);
    expect(state?.activeProducers).toContainEqual(expect.objectContaining({ producerId: Number(pid?.[1]), producerEpoch: Number(pid?.[2]), lastSequence: 9 }));
    const consumed = await kcat(lab.bootstrap(), ['-C', '-t', 'kcat-eos', '-o', 'beginning', '-e', '-f', '%s\\n']);
    expect(lines(consumed.stdout)).toEqual(Array.from({ length: 10 }, (_, i) => `idem-${i}`));
  });

  it('-X transactional.id commits a transaction that a read_committed consumer reads, marker included', async () => {
    const produced = await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-eos', '-p', '0', '-X', 'transactional.id=kcat-tx'], { input: 'tx-a\ntx-b\ntx-c\n' });
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).toContain('Transaction successfully committed');
    const consumed = await kcat(lab.bootstrap(), ['-C', '-t', 'kcat-eos', '-o', '10', '-e', '-X', 'isolation.level=read_committed', '-f', '%o %s\\n']);
    expect(lines(consumed.stdout)).toEqual(['10 tx-a', '11 tx-b', '12 tx-c']);
    // The COMMIT marker takes offset 13, so the partition ends at 14.
    expect(consumed.stderr).toContain('Reached end of topic kcat-eos [0] at offset 14');
    const coordinator = (await lab.cluster.broker(1).findCoordinator('transaction', 'kcat-tx')).nodeId;
    const [described] = await lab.cluster.broker(coordinator).describeTransactions(['kcat-tx']);
    expect(described?.transactionState).toBe('CompleteCommit');
  });
});

describe('kcat -G balanced consumers', () => {
  it('two members split the partitions, commit on exit, and the group resumes from the committed offsets', async () => {
    for (let p = 0; p < 4; p++) await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-group', '-p', String(p)], { input: `first-${p}-0\nfirst-${p}-1\nfirst-${p}-2\n` });
    const a = member('kcat-g');
    await a.waitFor('member a to be assigned every partition', (m) => m.assignment('kcat-group')?.length === 4);
    const b = member('kcat-g');
    const split = (m: KcatProcess): boolean => m.assignment('kcat-group')?.length === 2;
    await a.waitFor('member a to give up half the partitions', split);
    await b.waitFor('member b to take half the partitions', split);
    expect([...(a.assignment('kcat-group') ?? []), ...(b.assignment('kcat-group') ?? [])].sort()).toEqual([0, 1, 2, 3]);

    const everyFirst = Array.from({ length: 12 }, (_, i) => `first-${Math.floor(i / 3)}-${i % 3}`);
    const values = (): string[] => [...lines(a.stdout), ...lines(b.stdout)].map((line) => line.split(' ')[2] as string);
    await a.waitFor('every record to be consumed by one member or the other', () => everyFirst.every((v) => values().includes(v)));
    // Member b joined for the split and never owned anything else: it read only its own partitions.
    const ofB = new Set(lines(b.stdout).map((line) => Number(line.split(' ')[0])));
    for (const partition of ofB) expect(b.assignment('kcat-group')).toContain(partition);
    expect(await b.stop()).toBe(0);
    expect(await a.stop()).toBe(0);

    for (let p = 0; p < 4; p++) await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-group', '-p', String(p)], { input: `second-${p}\n` });
    const resumed = member('kcat-g', ['-e']);
    expect(await resumed.done()).toBe(0);
    expect(lines(resumed.stdout).map((line) => line.split(' ').slice(1).join(' ')).sort()).toEqual(['3 second-0', '3 second-1', '3 second-2', '3 second-3']);
  });
});
