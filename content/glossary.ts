/**
 * The course glossary: Kafka's terms in our own words, one to three sentences each. The
 * /glossary page lists them, and lesson prose links the first use of each term in a module
 * to its entry (apps/web/lib/glossary-link.ts), with the first sentence as a tooltip.
 *
 * `match` lists the words in lesson text that mean the term, as a reader would write them;
 * matching ignores case unless a form has capitals after its first letter (ISR, KRaft), and
 * a trailing plural "s" is allowed. Keep ids stable: they are the page's anchors.
 */

export interface GlossaryTerm {
  /** Anchor on /glossary, lowercase words joined by dashes. */
  readonly id: string;
  /** The name as the glossary shows it. */
  readonly term: string;
  /** One to three sentences; the first must stand alone, it becomes the link's tooltip. */
  readonly definition: string;
  /** The KIP that introduced or defines it, as "KIP-98". */
  readonly kip?: string;
  /** Forms in lesson text that link here. */
  readonly match: readonly string[];
}

export const glossary: readonly GlossaryTerm[] = [
  { id: 'broker', term: 'Broker', match: ['broker'], definition: 'A server that stores partitions on disk and answers clients. A cluster is a set of brokers, identified by their node ids.' },
  { id: 'topic', term: 'Topic', match: ['topic'], definition: 'A named stream of records, split into partitions. Producers write to a topic and consumers read from it, each at its own pace.' },
  { id: 'partition', term: 'Partition', match: ['partition'], definition: 'An ordered, append-only log that holds part of a topic. Order is guaranteed within a partition, never across partitions, and each one is replicated on its own.' },
  { id: 'offset', term: 'Offset', match: ['offset'], definition: 'The position of a record in a partition, counted from zero and never reused. A consumer remembers where it is as the offset of the next record it wants.' },
  { id: 'segment', term: 'Log segment', match: ['log segment', 'segment'], definition: 'One file of a partition\'s log, with its offset and time indexes beside it. Only the newest (active) segment takes writes; retention and compaction work on whole older segments.' },
  { id: 'replica', term: 'Replica', match: ['replica'], definition: 'A copy of a partition on one broker. One replica is the leader, the others are followers that fetch from it.' },
  { id: 'leader', term: 'Partition leader', match: ['partition leader', 'leader replica'], definition: 'The replica that takes all writes for a partition and, by default, serves its reads. The controller picks it from the in-sync replicas.' },
  { id: 'follower', term: 'Follower', match: ['follower'], definition: 'A replica that copies the leader by sending it fetch requests, just as a consumer would. A follower that keeps up stays in the ISR.' },
  { id: 'isr', term: 'In-sync replicas (ISR)', match: ['ISR', 'in-sync replica', 'in-sync replicas'], definition: 'The replicas that have caught up with the leader recently enough (within replica.lag.time.max.ms). Only they count towards acks=all, and only they may become leader in a clean election.' },
  { id: 'high-watermark', term: 'High watermark', match: ['high watermark', 'high-watermark'], definition: 'The offset up to which every in-sync replica holds the log. Records below it are committed: consumers may read them and no clean leader change loses them.' },
  { id: 'log-end-offset', term: 'Log end offset (LEO)', match: ['log end offset', 'LEO'], definition: 'The offset the next appended record will get on a replica. The leader\'s high watermark is the smallest log end offset among the in-sync replicas.' },
  { id: 'log-start-offset', term: 'Log start offset', match: ['log start offset'], kip: 'KIP-107', definition: 'The first offset still readable in a partition. Retention, compaction of whole segments and the DeleteRecords API move it forward.' },
  { id: 'lso', term: 'Last stable offset (LSO)', match: ['last stable offset', 'LSO'], kip: 'KIP-98', definition: 'The first offset that belongs to a transaction still open, or the high watermark if none is. A read_committed consumer never reads past it.' },
  { id: 'leader-epoch', term: 'Leader epoch', match: ['leader epoch'], kip: 'KIP-101', definition: 'A number that grows each time a partition gets a new leader, stored with every record batch. A replica uses it to find exactly where its log diverged from the new leader\'s and truncates there, instead of trusting the high watermark.' },
  { id: 'controller', term: 'Controller', match: ['controller'], definition: 'The node that owns cluster metadata: which brokers are alive, which topics exist, who leads each partition and who is in its ISR. In KRaft mode the active controller is the leader of the metadata quorum.' },
  { id: 'kraft', term: 'KRaft', match: ['KRaft'], kip: 'KIP-500', definition: 'Kafka\'s own metadata quorum, based on Raft, which replaced ZooKeeper. Controllers replicate the metadata log among themselves and brokers follow it (KIP-595 defines the protocol).' },
  { id: 'metadata-log', term: 'Metadata log', match: ['metadata log', '__cluster_metadata'], kip: 'KIP-500', definition: 'The replicated log of metadata records (topics, partitions, brokers, configs) that the KRaft quorum agrees on. Brokers replay it to build their view of the cluster, and snapshots keep it short.' },
  { id: 'isr-shrink', term: 'ISR shrink and expand', match: ['ISR shrink', 'ISR expansion'], definition: 'The leader asks the controller to drop a follower that has fallen behind from the ISR, and to add it back once it has caught up to the high watermark.' },
  { id: 'acks', term: 'acks', match: ['acks'], definition: 'The producer setting that says when a write counts as done: 0 (never wait), 1 (the leader has it) or all (every in-sync replica has it). Only acks=all survives losing the leader.' },
  { id: 'min-insync-replicas', term: 'min.insync.replicas', match: ['min.insync.replicas'], definition: 'The smallest ISR with which a partition accepts acks=all writes. Below it the leader refuses them with NOT_ENOUGH_REPLICAS, trading availability for durability.' },
  { id: 'unclean-leader-election', term: 'Unclean leader election', match: ['unclean leader election', 'unclean election'], kip: 'KIP-106', definition: 'Making a replica outside the ISR the leader when no in-sync replica is left. The partition comes back sooner but committed records can be lost, which is why it is off by default.' },
  { id: 'elr', term: 'Eligible leader replicas (ELR)', match: ['eligible leader replicas', 'ELR'], kip: 'KIP-966', definition: 'Replicas that left the ISR while it was below min.insync.replicas and are still known to hold every committed record. They may be elected cleanly after the ISR empties.' },
  { id: 'preferred-replica', term: 'Preferred replica', match: ['preferred replica', 'preferred leader'], kip: 'KIP-460', definition: 'The first replica in a partition\'s assignment, the one meant to lead. A preferred leader election moves leadership back to it so that load stays spread over the brokers.' },
  { id: 'reassignment', term: 'Partition reassignment', match: ['partition reassignment', 'reassignment'], kip: 'KIP-455', definition: 'Moving a partition\'s replicas to other brokers. New replicas are added and catch up first, then leadership moves and the old replicas are removed.' },
  { id: 'throttle', term: 'Replication throttle', match: ['replication throttle', 'throttle'], kip: 'KIP-73', definition: 'A byte-rate limit on replication traffic for chosen replicas, so that a reassignment does not starve producers and consumers of bandwidth.' },
  { id: 'rack', term: 'Rack', match: ['rack'], kip: 'KIP-36', definition: 'A label for the failure domain a broker lives in, such as an availability zone. Replica placement spreads each partition across racks, and consumers may fetch from a replica in their own rack (KIP-392).' },
  { id: 'consumer-group', term: 'Consumer group', match: ['consumer group'], definition: 'Consumers that share a group id and split a topic\'s partitions among themselves, each partition read by one member. The group\'s committed offsets say where it has got to.' },
  { id: 'group-coordinator', term: 'Group coordinator', match: ['group coordinator'], definition: 'The broker that leads the __consumer_offsets partition a group hashes to. It tracks the group\'s members, runs its rebalances and stores its committed offsets.' },
  { id: 'rebalance', term: 'Rebalance', match: ['rebalance'], kip: 'KIP-848', definition: 'Reassigning a group\'s partitions when members join, leave or fail. The classic protocol stops the whole group; cooperative rebalancing (KIP-429) and the new consumer protocol (KIP-848) move only the partitions that must move.' },
  { id: 'committed-offset', term: 'Committed offset', match: ['committed offset', '__consumer_offsets'], definition: 'The offset a consumer group has saved for a partition in the internal __consumer_offsets topic: the next record it will read after a restart or a rebalance.' },
  { id: 'consumer-lag', term: 'Consumer lag', match: ['consumer lag'], definition: 'How far a group is behind: a partition\'s high watermark minus the group\'s committed offset for it.' },
  { id: 'static-membership', term: 'Static membership', match: ['static membership', 'group.instance.id'], kip: 'KIP-345', definition: 'A consumer that sets group.instance.id keeps its assignment across a quick restart, so a rolling bounce does not trigger a rebalance for every member.' },
  { id: 'idempotent-producer', term: 'Idempotent producer', match: ['idempotent producer'], kip: 'KIP-98', definition: 'A producer whose retries cannot write a record twice. The broker keeps, per producer id and partition, the last sequence numbers it accepted and drops a repeated batch.' },
  { id: 'producer-id', term: 'Producer id and epoch', match: ['producer id', 'producer epoch'], kip: 'KIP-98', definition: 'The number a broker gives a producer for idempotence and transactions, and the epoch that grows when a transactional producer with the same id starts again, fencing the old one.' },
  { id: 'sequence-number', term: 'Sequence number', match: ['sequence number'], kip: 'KIP-98', definition: 'A per-partition counter an idempotent producer stamps on each batch. A gap or a repeat tells the leader a batch was lost or duplicated.' },
  { id: 'transactional-id', term: 'Transactional id', match: ['transactional id', 'transactional.id'], kip: 'KIP-98', definition: 'A stable name a producer sets to use transactions. It maps to the same producer id across restarts, so the transaction coordinator can finish or abort what a previous instance left open.' },
  { id: 'transaction-coordinator', term: 'Transaction coordinator', match: ['transaction coordinator'], kip: 'KIP-98', definition: 'The broker that leads the __transaction_state partition a transactional id hashes to. It records each transaction\'s partitions and state, and writes the commit or abort markers.' },
  { id: 'transaction-marker', term: 'Transaction marker', match: ['transaction marker', 'control record'], kip: 'KIP-98', definition: 'A control record the coordinator has written into every partition of a transaction to say it committed or aborted. Consumers never see markers, but read_committed consumers act on them.' },
  { id: 'isolation-level', term: 'Isolation level', match: ['isolation level', 'read_committed', 'read_uncommitted'], kip: 'KIP-98', definition: 'A consumer setting: read_uncommitted reads up to the high watermark, read_committed stops at the last stable offset and skips records of aborted transactions.' },
  { id: 'exactly-once', term: 'Exactly-once semantics', match: ['exactly-once', 'exactly once'], kip: 'KIP-98', definition: 'Each input record affects the output once, even across retries and crashes. In Kafka it comes from idempotent producers plus transactions that commit output records and consumer offsets together.' },
  { id: 'log-compaction', term: 'Log compaction', match: ['log compaction', 'compaction', 'compacted topic'], definition: 'A cleanup policy that keeps at least the latest record for every key instead of deleting by age. The log cleaner rewrites older segments without the records that a newer one for the same key replaced.' },
  { id: 'tombstone', term: 'Tombstone', match: ['tombstone'], definition: 'A record with a key and a null value, which tells compaction to remove the key. The tombstone itself is kept for delete.retention.ms so that consumers can see the deletion.' },
  { id: 'retention', term: 'Retention', match: ['retention.ms', 'retention.bytes', 'retention'], definition: 'The delete cleanup policy: whole segments older than retention.ms, or beyond retention.bytes per partition, are deleted and the log start offset moves forward.' },
  { id: 'tiered-storage', term: 'Tiered storage', match: ['tiered storage'], kip: 'KIP-405', definition: 'Copying closed segments to a remote object store and keeping only the recent part of the log on the broker\'s disk. Reads of old offsets are served from the remote copy.' },
  { id: 'remote-log-manager', term: 'Remote log manager', match: ['remote log manager', 'remote log metadata'], kip: 'KIP-405', definition: 'The broker component that uploads eligible segments, records their metadata and fetches remote data for consumers reading old offsets.' },
  { id: 'mirrormaker-2', term: 'MirrorMaker 2', match: ['MirrorMaker 2', 'MirrorMaker', 'MM2'], kip: 'KIP-382', definition: 'The Kafka Connect based tool that copies topics, configs and consumer offsets from one cluster to another. It names remote topics after their source cluster and writes checkpoints for offset translation.' },
  { id: 'offset-translation', term: 'Offset translation', match: ['offset translation'], kip: 'KIP-382', definition: 'Mapping a group\'s committed offset on the source cluster to the matching offset on the target, using the offset syncs MirrorMaker 2 records, so a group can fail over without rereading everything.' },
  { id: 'fetch-session', term: 'Fetch session', match: ['fetch session'], kip: 'KIP-227', definition: 'A follower or consumer and a leader agree on the set of partitions once, and later fetch requests only carry what changed, which keeps fetches small for brokers with many partitions.' },
  { id: 'record-batch', term: 'Record batch', match: ['record batch'], kip: 'KIP-98', definition: 'The unit Kafka writes, replicates and stores: a header with base offset, leader epoch, producer id, sequence and flags, then the records. Brokers keep batches as producers sent them.' },
];
