/**
 * The KRaft controller quorum (KIP-500, KIP-595, KIP-631, KIP-630), modelled as phases in
 * virtual time, to set against the ZooKeeper-era controller in ./zookeeper.
 *
 * Failover:
 *   detect   voters stop getting fetch answers from the crashed leader and wait
 *            `controller.quorum.fetch.timeout.ms` (a clean stop sends EndQuorumEpoch, so
 *            the election starts at once);
 *   elect    a candidate asks for votes (each voter persists its vote); split votes cost
 *            an election timeout plus a mean back-off each;
 *   catch-up the winner replays the few records it had fetched but not applied (or, when
 *            asked, rebuilds its state from a snapshot first);
 *   commit   BeginQuorumEpoch, then the LeaderChange record reaches a majority by fetch;
 *   brokers  each broker notices its fetch to the old leader failed (in parallel with the
 *            election), finds the new leader and fetches the one new record. Brokers
 *            already hold the metadata image, so nothing proportional to partitions moves.
 * Controlled shutdown: the broker says so in a heartbeat; the controller writes one
 * PartitionChangeRecord per affected partition, commits the batch, and brokers pull it.
 *
 * Deviations: controllers are dedicated (combined mode is not modelled); no pre-vote
 * round (KIP-996); the random election back-off is charged at its mean; brokers are
 * symmetric; record batching limits per append are not modelled.
 */
import type { ControllerModelAssumptions } from './assumptions';
import { fmt, stateBytes, Timeline, workloadOf, type ControllerFailure, type ModeOutcome, type PathStep } from './model';

const SYSTEMS = ['Kafka (controller quorum and brokers)'] as const;

/** Records a broker fetches after a failover: the LeaderChange control record and a no-op. */
const RECORDS_AFTER_FAILOVER = 2;

function catchUp(partitions: number, topics: number, a: ControllerModelAssumptions): { ms: number; detail: string } {
  const replayMs = (a.standbyLagRecords * a.metadataRecordApplyUs) / 1000;
  if (!a.standbyReplaysSnapshot) return { ms: replayMs, detail: `replay ${a.standbyLagRecords} records × ${a.metadataRecordApplyUs} µs` };
  const snapshotBytes = partitions * stateBytes(a.partitionRecordFixedBytes, a) + topics * a.topicRecordBytes;
  const readMs = (snapshotBytes / a.snapshotReadBytesPerSec) * 1000;
  const loadMs = ((partitions + topics) * a.metadataRecordApplyUs) / 1000;
  return { ms: replayMs + readMs + loadMs, detail: `snapshot of ${snapshotBytes} bytes read in ${fmt(readMs)} ms + ${partitions + topics} records loaded in ${fmt(loadMs)} ms + tail replay ${fmt(replayMs)} ms` };
}

export function kraftControllerFailover(partitions: number, a: ControllerModelAssumptions, failure: ControllerFailure): ModeOutcome {
  const w = workloadOf(partitions, a);
  const followers = a.controllerQuorumVoterCount - 1;
  const t = new Timeline();
  const detectMs = failure === 'crash' ? a.controllerQuorumFetchTimeoutMs : 0;
  t.add('fetch-timeout', 'detect', 'Standbys stop hearing from the active controller', detectMs, failure === 'crash' ? `controller.quorum.fetch.timeout.ms = ${detectMs} ms` : 'a clean stop sends EndQuorumEpoch: the election starts at once');
  const splitMs = a.splitVoteRounds * (a.controllerQuorumElectionTimeoutMs + a.controllerQuorumElectionBackoffMaxMs / 2);
  t.add('vote', 'elect', 'A standby becomes candidate and wins the vote', splitMs + a.networkRttMs + a.fsyncMs, `${a.splitVoteRounds} split vote${a.splitVoteRounds === 1 ? '' : 's'} × (${a.controllerQuorumElectionTimeoutMs} + ${a.controllerQuorumElectionBackoffMaxMs / 2} ms) + Vote round trip ${a.networkRttMs} ms + fsync ${a.fsyncMs} ms`);
  const caught = catchUp(w.partitions, w.topics, a);
  t.add('catch-up', 'catch-up', 'The new leader finishes replaying what it already holds', caught.ms, caught.detail);
  const commitMs = a.networkRttMs + a.controllerQuorumAppendLingerMs + a.fsyncMs + a.networkRttMs;
  t.add('commit-leader-change', 'commit', 'BeginQuorumEpoch; the LeaderChange record is fetched by a majority', commitMs, `BeginQuorumEpoch ${a.networkRttMs} ms + linger ${a.controllerQuorumAppendLingerMs} ms + fsync ${a.fsyncMs} ms + fetch ${a.networkRttMs} ms`);
  const brokerDetectMs = failure === 'crash' ? a.controllerQuorumRequestTimeoutMs : 0;
  const brokerMs = a.controllerQuorumRetryBackoffMs + a.networkRttMs + (RECORDS_AFTER_FAILOVER * a.metadataRecordApplyUs) / 1000;
  t.add('brokers-follow', 'propagate', 'Brokers find the new leader and fetch the new records (they already hold the image)', brokerMs, `starts once the leader is ready and brokers gave up on the old one (controller.quorum.request.timeout.ms = ${brokerDetectMs} ms, in parallel); back-off ${a.controllerQuorumRetryBackoffMs} ms + fetch ${a.networkRttMs} ms`, brokerDetectMs);
  const path: PathStep[] = [
    { from: 'candidate', to: 'other controllers', message: 'Vote', style: 'push', count: followers, bytes: 0 },
    { from: 'new leader', to: 'other controllers', message: 'BeginQuorumEpoch', style: 'push', count: followers, bytes: 0 },
    { from: 'new leader', to: '__cluster_metadata', message: 'append LeaderChange', style: 'local', count: 1, bytes: 0 },
    { from: 'other controllers', to: 'new leader', message: 'Fetch __cluster_metadata', style: 'pull', count: followers, bytes: 0 },
    { from: 'every broker', to: 'new leader', message: 'Fetch __cluster_metadata (new records only)', style: 'pull', count: w.brokers, bytes: 0 },
  ];
  return { mode: 'kraft', scenario: 'failover', failure, partitions, totalMs: t.endMs, phases: t.phases, path, systems: SYSTEMS };
}

export function kraftControlledShutdown(partitions: number, a: ControllerModelAssumptions): ModeOutcome {
  const w = workloadOf(partitions, a);
  const affected = w.replicasPerBroker;
  const bytes = affected * a.partitionChangeRecordBytes;
  const followers = a.controllerQuorumVoterCount - 1;
  const t = new Timeline();
  t.add('heartbeat', 'detect', 'The broker asks to shut down in its BrokerHeartbeat', a.networkRttMs, `one round trip, ${a.networkRttMs} ms`);
  const generateMs = (affected * a.metadataRecordGenerateUs) / 1000;
  t.add('generate-records', 'commit', 'The controller decides a PartitionChangeRecord per affected partition', generateMs, `${affected} records × ${a.metadataRecordGenerateUs} µs`);
  const replicateMs = ((bytes * followers) / a.networkBytesPerSec) * 1000;
  const commitMs = a.controllerQuorumAppendLingerMs + a.fsyncMs + a.networkRttMs + replicateMs;
  t.add('commit', 'commit', 'Append the batch; a majority of controllers fetch it', commitMs, `linger ${a.controllerQuorumAppendLingerMs} ms + fsync ${a.fsyncMs} ms + fetch ${a.networkRttMs} ms + ${bytes} bytes to ${followers} controllers in ${fmt(replicateMs)} ms`);
  const transferMs = ((bytes * w.brokers) / a.networkBytesPerSec) * 1000;
  const applyMs = (affected * a.metadataRecordApplyUs) / 1000;
  t.add('brokers-apply', 'propagate', 'Brokers fetch the records and apply them to their image', a.networkRttMs + transferMs + applyMs, `fetch ${a.networkRttMs} ms + ${bytes} bytes to ${w.brokers} brokers in ${fmt(transferMs)} ms + apply ${affected} records in ${fmt(applyMs)} ms`);
  const path: PathStep[] = [
    { from: 'broker', to: 'active controller', message: 'BrokerHeartbeat (wantShutDown)', style: 'push', count: 1, bytes: 0 },
    { from: 'active controller', to: '__cluster_metadata', message: 'append PartitionChangeRecords', style: 'local', count: affected, bytes },
    { from: 'other controllers', to: 'active controller', message: 'Fetch __cluster_metadata', style: 'pull', count: followers, bytes: bytes * followers },
    { from: 'every broker', to: 'active controller', message: 'Fetch __cluster_metadata (the new records)', style: 'pull', count: w.brokers, bytes: bytes * w.brokers },
  ];
  return { mode: 'kraft', scenario: 'controlled-shutdown', failure: 'graceful', partitions, totalMs: t.endMs, phases: t.phases, path, systems: SYSTEMS };
}
