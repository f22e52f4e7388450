/**
 * Decides how one partition changes when brokers come and go (Kafka's
 * PartitionChangeBuilder): which replicas stay in the ISR, who leads, and whether the
 * leader epoch must move. It returns a PartitionChangeRecord, or null when nothing
 * changes; replaying the record is what actually changes the partition.
 *
 * Election rules: keep the current leader while it is in the ISR and active; otherwise
 * take the first replica, in replica order, that is in the ISR and active (a clean
 * election). When none is, an unclean election (only if allowed) takes the first active
 * replica and makes it the whole ISR; else the partition goes offline (leader -1). The ISR
 * never becomes empty: its last member stays, so that it can lead cleanly when it returns.
 */
import type { MetadataImage, PartitionRegistration } from '../metadata/image';
import { NO_LEADER, partitionChange, type PartitionChangeRecord } from '../metadata/records';

export type ElectionKind = 'clean' | 'unclean' | 'preferred';

export interface PartitionChangeRequest {
  readonly topicId: string;
  readonly partitionId: number;
  readonly partition: PartitionRegistration;
  /** The ISR the change aims for; members that are not active are dropped anyway. */
  readonly targetIsr?: readonly number[];
  readonly uncleanAllowed: boolean;
  /** Move leadership to the first replica if it can lead (preferred leader election). */
  readonly preferred?: boolean;
  /** Brokers that must not lead or stay in the ISR (fenced, shutting down). */
  readonly excluded?: ReadonlySet<number>;
}

export interface PartitionChangeResult {
  readonly record: PartitionChangeRecord;
  readonly leader: number;
  readonly isr: readonly number[];
  readonly election: ElectionKind | null;
}

export function buildPartitionChange(image: MetadataImage, request: PartitionChangeRequest): PartitionChangeResult | null {
  const { partition } = request;
  const canLead = (id: number): boolean => image.isActiveBroker(id) && !(request.excluded?.has(id) ?? false);
  let isr: readonly number[] = (request.targetIsr ?? partition.isr).filter(canLead);
  let leader = chooseLeader(partition, isr, canLead, request.preferred ?? false);
  let election: ElectionKind | null = leader !== partition.leader ? (request.preferred ? 'preferred' : 'clean') : null;
  if (leader === NO_LEADER && request.uncleanAllowed) {
    const unclean = partition.replicas.find(canLead);
    if (unclean !== undefined) {
      leader = unclean;
      isr = [unclean];
      election = 'unclean';
    }
  }
  // The ISR never empties: keep the old ISR's members so a clean election stays possible.
  if (isr.length === 0) isr = lastStanding(partition);
  if (leader === NO_LEADER) election = partition.leader === NO_LEADER ? null : election;
  const isrChanged = !sameMembers(isr, partition.isr);
  const leaderChanged = leader !== partition.leader;
  if (!isrChanged && !leaderChanged) return null;
  const record = partitionChange(request.topicId, request.partitionId, {
    isr: isrChanged ? isr : null,
    leader: leaderChanged ? leader : -2,
    leaderRecoveryState: election === 'unclean' ? 1 : -1,
  });
  return { record, leader, isr, election: leaderChanged ? election : null };
}

function chooseLeader(
  partition: PartitionRegistration,
  isr: readonly number[],
  canLead: (id: number) => boolean,
  preferred: boolean,
): number {
  const first = partition.replicas[0];
  if (preferred && first !== undefined && isr.includes(first) && canLead(first)) return first;
  if (partition.leader !== NO_LEADER && isr.includes(partition.leader) && canLead(partition.leader)) return partition.leader;
  return partition.replicas.find((id) => isr.includes(id) && canLead(id)) ?? NO_LEADER;
}

function lastStanding(partition: PartitionRegistration): readonly number[] {
  const leader = partition.leader;
  if (leader !== NO_LEADER && partition.isr.includes(leader)) return [leader];
  return partition.isr.slice(0, 1);
}

export function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
}
