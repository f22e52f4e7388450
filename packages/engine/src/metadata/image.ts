/**
 * The metadata image: an immutable view of the cluster's metadata at one offset of
 * `__cluster_metadata`, and the delta that produces the next image by replaying records.
 * Replay is the only way metadata changes, on controllers and brokers alike (Kafka's
 * MetadataImage / MetadataDelta). Images share unchanged parts, so keeping an old image
 * (for a snapshot or for time travel) costs little.
 *
 * Deviations from Kafka: no ACLs, client quotas, SCRAM or delegation tokens; feature
 * levels are recorded but not negotiated.
 */
import { assert } from '../assert';
import {
  ConfigResourceType,
  NO_LEADER_CHANGE,
  type MetadataRecord,
  type BrokerEndpoint,
  type PartitionChangeRecord,
} from './records';

export interface BrokerRegistration {
  readonly id: number;
  readonly epoch: number;
  readonly incarnationId: string;
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
  readonly endPoints: readonly BrokerEndpoint[];
}

export interface PartitionRegistration {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly leader: number;
  readonly leaderRecoveryState: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

export interface TopicImage {
  readonly name: string;
  readonly id: string;
  readonly partitions: ReadonlyMap<number, PartitionRegistration>;
}

/** Configs keyed by `${resourceType}:${resourceName}`. */
export type ConfigsImage = ReadonlyMap<string, ReadonlyMap<string, string>>;

export const configKey = (resourceType: number, resourceName: string): string => `${resourceType}:${resourceName}`;

export class MetadataImage {
  static readonly EMPTY = new MetadataImage(-1, new Map(), new Map(), new Map(), new Map(), new Map(), 0);

  constructor(
    /** Offset of the last record applied, -1 for the empty image. */
    readonly offset: number,
    readonly features: ReadonlyMap<string, number>,
    readonly brokers: ReadonlyMap<number, BrokerRegistration>,
    readonly topicsById: ReadonlyMap<string, TopicImage>,
    readonly topicIdsByName: ReadonlyMap<string, string>,
    readonly configs: ConfigsImage,
    readonly nextProducerId: number,
  ) {}

  topic(name: string): TopicImage | undefined {
    const id = this.topicIdsByName.get(name);
    return id === undefined ? undefined : this.topicsById.get(id);
  }

  partition(topic: string, partition: number): PartitionRegistration | undefined {
    return this.topic(topic)?.partitions.get(partition);
  }

  topicConfigs(name: string): ReadonlyMap<string, string> {
    return this.configs.get(configKey(ConfigResourceType.TOPIC, name)) ?? new Map();
  }

  /** Brokers that may lead or join an ISR: registered, unfenced, not shutting down. */
  isActiveBroker(id: number): boolean {
    const broker = this.brokers.get(id);
    return broker !== undefined && !broker.fenced && !broker.inControlledShutdown;
  }

  /** Replays records on top of this image and returns the next one. */
  apply(records: readonly MetadataRecord[], offset: number): MetadataImage {
    const delta = new MetadataDelta(this);
    for (const record of records) delta.replay(record);
    return delta.apply(offset);
  }
}

/**
 * Accumulates records on top of a base image. Maps are copied on first write, so a delta
 * that only fences a broker does not copy the topics.
 */
export class MetadataDelta {
  private features: Map<string, number> | null = null;
  private brokers: Map<number, BrokerRegistration> | null = null;
  private topicsById: Map<string, TopicImage> | null = null;
  private topicIdsByName: Map<string, string> | null = null;
  private configs: Map<string, ReadonlyMap<string, string>> | null = null;
  private nextProducerId: number;
  /** Topic ids created, changed or removed by this delta (brokers react to these). */
  readonly changedTopicIds = new Set<string>();
  readonly removedTopics = new Map<string, TopicImage>();
  readonly changedBrokerIds = new Set<number>();

  constructor(readonly base: MetadataImage) {
    this.nextProducerId = base.nextProducerId;
  }

  replay(record: MetadataRecord): void {
    switch (record.type) {
      case 'RegisterBrokerRecord':
        this.putBroker({
          id: record.brokerId,
          epoch: record.brokerEpoch,
          incarnationId: record.incarnationId,
          rack: record.rack,
          fenced: record.fenced,
          inControlledShutdown: record.inControlledShutdown,
          endPoints: record.endPoints,
        });
        return;
      case 'UnregisterBrokerRecord':
        this.mutableBrokers().delete(record.brokerId);
        this.changedBrokerIds.add(record.brokerId);
        return;
      case 'FenceBrokerRecord':
        this.updateBroker(record.id, record.epoch, { fenced: true });
        return;
      case 'UnfenceBrokerRecord':
        this.updateBroker(record.id, record.epoch, { fenced: false });
        return;
      case 'BrokerRegistrationChangeRecord': {
        const change: { fenced?: boolean; inControlledShutdown?: boolean } = {};
        if (record.fenced !== 0) change.fenced = record.fenced > 0;
        if (record.inControlledShutdown === 1) change.inControlledShutdown = true;
        this.updateBroker(record.brokerId, record.brokerEpoch, change);
        return;
      }
      case 'TopicRecord':
        this.putTopic({ name: record.name, id: record.topicId, partitions: new Map() });
        this.mutableTopicIdsByName().set(record.name, record.topicId);
        return;
      case 'PartitionRecord':
        this.putPartition(record.topicId, record.partitionId, {
          replicas: record.replicas,
          isr: record.isr,
          removingReplicas: record.removingReplicas,
          addingReplicas: record.addingReplicas,
          leader: record.leader,
          leaderRecoveryState: record.leaderRecoveryState,
          leaderEpoch: record.leaderEpoch,
          partitionEpoch: record.partitionEpoch,
        });
        return;
      case 'PartitionChangeRecord':
        this.replayPartitionChange(record);
        return;
      case 'RemoveTopicRecord':
        this.removeTopic(record.topicId);
        return;
      case 'ConfigRecord':
        this.putConfig(configKey(record.resourceType, record.resourceName), record.name, record.value);
        return;
      case 'FeatureLevelRecord':
        this.features ??= new Map(this.base.features);
        this.features.set(record.name, record.featureLevel);
        return;
      case 'ProducerIdsRecord':
        this.nextProducerId = record.nextProducerId;
        return;
      case 'NoOpRecord':
        return;
    }
  }

  apply(offset: number): MetadataImage {
    return new MetadataImage(
      offset,
      this.features ?? this.base.features,
      this.brokers ?? this.base.brokers,
      this.topicsById ?? this.base.topicsById,
      this.topicIdsByName ?? this.base.topicIdsByName,
      this.configs ?? this.base.configs,
      this.nextProducerId,
    );
  }

  private currentTopic(topicId: string): TopicImage | undefined {
    return (this.topicsById ?? this.base.topicsById).get(topicId);
  }

  private mutableBrokers(): Map<number, BrokerRegistration> {
    return (this.brokers ??= new Map(this.base.brokers));
  }

  private mutableTopicIdsByName(): Map<string, string> {
    return (this.topicIdsByName ??= new Map(this.base.topicIdsByName));
  }

  private putBroker(broker: BrokerRegistration): void {
    this.mutableBrokers().set(broker.id, broker);
    this.changedBrokerIds.add(broker.id);
  }

  private updateBroker(id: number, epoch: number, change: Partial<BrokerRegistration>): void {
    const current = (this.brokers ?? this.base.brokers).get(id);
    // A record for an older registration of this broker id no longer applies.
    if (current === undefined || current.epoch !== epoch) return;
    const next = { ...current, ...change };
    // Unfencing also ends a controlled shutdown: the broker has come back.
    if (change.fenced === false) next.inControlledShutdown = false;
    this.putBroker(next);
  }

  private putTopic(topic: TopicImage): void {
    (this.topicsById ??= new Map(this.base.topicsById)).set(topic.id, topic);
    this.changedTopicIds.add(topic.id);
  }

  private putPartition(topicId: string, partitionId: number, partition: PartitionRegistration): void {
    const topic = this.currentTopic(topicId);
    assert(topic !== undefined, `PartitionRecord for unknown topic id ${topicId}`);
    const partitions = new Map(topic.partitions);
    partitions.set(partitionId, partition);
    this.putTopic({ ...topic, partitions });
  }

  private replayPartitionChange(record: PartitionChangeRecord): void {
    const current = this.currentTopic(record.topicId)?.partitions.get(record.partitionId);
    assert(current !== undefined, `PartitionChangeRecord for unknown partition ${record.topicId}-${record.partitionId}`);
    // As in Kafka, a record that names a leader (even the same one) bumps the leader epoch;
    // every change bumps the partition epoch.
    const leaderChanged = record.leader !== NO_LEADER_CHANGE;
    this.putPartition(record.topicId, record.partitionId, {
      replicas: record.replicas ?? current.replicas,
      isr: record.isr ?? current.isr,
      removingReplicas: record.removingReplicas ?? current.removingReplicas,
      addingReplicas: record.addingReplicas ?? current.addingReplicas,
      leader: leaderChanged ? record.leader : current.leader,
      leaderRecoveryState: record.leaderRecoveryState === -1 ? current.leaderRecoveryState : record.leaderRecoveryState,
      leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
      partitionEpoch: current.partitionEpoch + 1,
    });
  }

  private removeTopic(topicId: string): void {
    const topic = this.currentTopic(topicId);
    if (topic === undefined) return;
    (this.topicsById ??= new Map(this.base.topicsById)).delete(topicId);
    this.mutableTopicIdsByName().delete(topic.name);
    (this.configs ??= new Map(this.base.configs)).delete(configKey(ConfigResourceType.TOPIC, topic.name));
    this.changedTopicIds.add(topicId);
    this.removedTopics.set(topicId, topic);
  }

  private putConfig(key: string, name: string, value: string | null): void {
    const configs = (this.configs ??= new Map(this.base.configs));
    const entries = new Map(configs.get(key) ?? []);
    if (value === null) entries.delete(name);
    else entries.set(name, value);
    if (entries.size === 0) configs.delete(key);
    else configs.set(key, entries);
  }
}
