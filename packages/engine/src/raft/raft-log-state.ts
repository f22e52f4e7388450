/**
 * A node's `__cluster_metadata` replica and quorum-state file as plain data, so that an
 * adapter outside the engine can keep them on a real disk and hand them back when the
 * cluster is built again (the engine itself does no I/O). The state holds only numbers,
 * strings, booleans, nulls and arrays, so it survives JSON unchanged.
 *
 * Deviation from Kafka: Kafka keeps the metadata log as record batches in segment files and
 * a snapshot as a `.checkpoint` file of records; here the adapter decides the file format,
 * and a snapshot's image is kept as its parts (brokers, topics, configs, features) rather
 * than as the records that would rebuild it.
 */
import { MetadataImage, type BrokerRegistration, type PartitionRegistration, type TopicImage } from '../metadata/image';
import { RaftLog, type QuorumStateFile, type RaftEntry } from './raft-log';

export interface MetadataImageState {
  readonly offset: number;
  readonly features: ReadonlyArray<readonly [string, number]>;
  readonly brokers: readonly BrokerRegistration[];
  readonly topics: ReadonlyArray<{ readonly name: string; readonly id: string; readonly partitions: ReadonlyArray<readonly [number, PartitionRegistration]> }>;
  readonly configs: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]>;
  readonly nextProducerId: number;
}

export interface RaftLogState {
  /** The quorum-state file: the current epoch and this node's vote in it. */
  readonly quorumState: QuorumStateFile;
  /** The latest snapshot (KIP-630), or null; `entries` continue from its end offset. */
  readonly snapshot: { readonly endOffset: number; readonly epoch: number; readonly image: MetadataImageState } | null;
  readonly entries: readonly RaftEntry[];
}

export function imageState(image: MetadataImage): MetadataImageState {
  return {
    offset: image.offset,
    features: [...image.features],
    brokers: [...image.brokers.values()],
    topics: [...image.topicsById.values()].map((t) => ({ name: t.name, id: t.id, partitions: [...t.partitions] })),
    configs: [...image.configs].map(([key, entries]) => [key, [...entries]] as const),
    nextProducerId: image.nextProducerId,
  };
}

export function imageFromState(state: MetadataImageState): MetadataImage {
  const topics = state.topics.map((t): TopicImage => ({ name: t.name, id: t.id, partitions: new Map(t.partitions) }));
  return new MetadataImage(
    state.offset,
    new Map(state.features),
    new Map(state.brokers.map((b) => [b.id, b])),
    new Map(topics.map((t) => [t.id, t])),
    new Map(topics.map((t) => [t.name, t.id])),
    new Map(state.configs.map(([key, entries]) => [key, new Map(entries)])),
    state.nextProducerId,
  );
}

/** What a node's metadata log holds right now, as plain data. */
export function raftLogState(log: RaftLog): RaftLogState {
  const snapshot = log.snapshot;
  return {
    quorumState: { epoch: log.quorumState.epoch, votedFor: log.quorumState.votedFor },
    snapshot: snapshot === null ? null : { endOffset: snapshot.endOffset, epoch: snapshot.epoch, image: imageState(snapshot.image) },
    entries: log.slice(log.startOffset),
  };
}

/** Rebuilds a metadata log from its saved state: the snapshot first, then the entries after it. */
export function restoreRaftLog(state: RaftLogState): RaftLog {
  const log = new RaftLog();
  if (state.snapshot !== null) log.installSnapshot({ endOffset: state.snapshot.endOffset, epoch: state.snapshot.epoch, image: imageFromState(state.snapshot.image) });
  log.appendFetched(state.entries);
  log.quorumState.epoch = state.quorumState.epoch;
  log.quorumState.votedFor = state.quorumState.votedFor;
  return log;
}
