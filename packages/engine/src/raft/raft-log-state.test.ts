import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { runUntil, settle } from '../cluster/settle';
import { MetadataImage } from '../metadata/image';
import { MemoryLogStore } from '../storage';
import { imageFromState, imageState, restoreRaftLog, raftLogState, type RaftLogState } from './raft-log-state';
import { RaftLog } from './raft-log';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('metadata log state', () => {
  it('round-trips a metadata image and a log with a snapshot through JSON', () => {
    const image = MetadataImage.EMPTY.apply(
      [
        { type: 'RegisterBrokerRecord', brokerId: 1, incarnationId: 'i', brokerEpoch: 3, endPoints: [{ name: 'PLAINTEXT', host: 'h', port: 9092, securityProtocol: 0 }], rack: 'r', fenced: false, inControlledShutdown: false },
        { type: 'TopicRecord', name: 'orders', topicId: 'T1' },
        { type: 'PartitionRecord', partitionId: 0, topicId: 'T1', replicas: [1], isr: [1], removingReplicas: [], addingReplicas: [], leader: 1, leaderRecoveryState: 0, leaderEpoch: 2, partitionEpoch: 4 },
        { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms', value: '1000' },
        { type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: 7 },
      ],
      4,
    );
    const back = imageFromState(viaJson(imageState(image)));
    expect(back.offset).toBe(4);
    expect(back.partition('orders', 0)).toEqual(image.partition('orders', 0));
    expect(back.topicConfigs('orders').get('retention.ms')).toBe('1000');
    expect(back.brokers.get(1)).toEqual(image.brokers.get(1));
    expect(back.features.get('metadata.version')).toBe(7);

    const log = new RaftLog();
    log.append(1, [{ kind: 'leader-change', leaderId: 101, voters: [101] }, { kind: 'metadata', record: { type: 'NoOpRecord' } }]);
    log.installSnapshot({ endOffset: 2, epoch: 1, image });
    log.append(2, [{ kind: 'metadata', record: { type: 'NoOpRecord' } }]);
    log.quorumState.epoch = 2;
    log.quorumState.votedFor = 101;
    const restored = restoreRaftLog(viaJson(raftLogState(log)));
    expect(restored.startOffset).toBe(2);
    expect(restored.endOffset).toBe(3);
    expect(restored.lastEpoch).toBe(2);
    expect(restored.entry(2)).toEqual(log.entry(2));
    expect(restored.snapshot?.image.topic('orders')?.id).toBe('T1');
    expect(restored.quorumState).toEqual({ epoch: 2, votedFor: 101 });
  });

  it('lets a new Cluster resume a stopped one: same topics, same records', async () => {
    const stores = new Map<number, MemoryLogStore>();
    const logStoreFor = (id: number): MemoryLogStore => stores.get(id) ?? stores.set(id, new MemoryLogStore()).get(id)!;
    const first = new Cluster({ seed: 5, logStoreFor });
    await runUntil(first, () => first.snapshot().brokers.every((b) => b.state === 'running'));
    await settle(first, first.admin.createTopics([{ name: 'kept', numPartitions: 2, replicationFactor: 3 }]));
    const produced = await settle(first, first.client.produce({ topic: 'kept', partition: 1, acks: 'all', records: [{ value: 'one' }, { value: 'two' }] }));
    expect(produced.error).toBeNull();
    for (const id of first.brokerIds) first.faults.stopNode(id);
    await runUntil(first, () => first.snapshot().brokers.every((b) => b.state === 'stopped'), 60_000);
    for (const id of first.voterIds) first.faults.stopNode(id);
    const saved = new Map<number, RaftLogState>([...first.voterIds, ...first.brokerIds].map((id) => [id, viaJson(first.metadataLogState(id))]));

    const second = new Cluster({ seed: 6, clusterId: first.clusterId, logStoreFor, metadataLogFor: (id) => saved.get(id) ?? null });
    await runUntil(second, () => second.snapshot().brokers.every((b) => b.state === 'running') && second.snapshot().topics.some((t) => t.partitions.every((p) => p.leader >= 0)), 60_000);
    expect(second.snapshot().topics.map((t) => t.name)).toContain('kept');
    const fetched = await settle(second, second.client.fetch({ topic: 'kept', partition: 1, fetchOffset: 0, maxWaitMs: 0 }));
    expect(fetched.records.map((r) => text(r.value))).toEqual(['one', 'two']);
    // The restarted cluster keeps accepting writes after the old records.
    const next = await settle(second, second.client.produce({ topic: 'kept', partition: 1, acks: 'all', records: [{ value: 'three' }] }));
    expect(next.baseOffset).toBe(2);
  });
});
