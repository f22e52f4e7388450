/**
 * One replica of the KRaft quorum that replicates `__cluster_metadata` (Kafka's
 * KafkaRaftClient, KIP-595). Voters (controllers) elect a leader; observers (brokers)
 * only fetch.
 *
 * States: unattached (an epoch with no known leader, maybe a vote cast), candidate,
 * leader, follower, resigned (a leader that gave up its epoch). Transitions:
 * - unattached/follower voter --election or fetch timeout--> candidate (epoch + 1, votes for itself)
 * - candidate --majority of votes--> leader (writes a leader-change record, sends BeginQuorumEpoch)
 * - anyone --message with a higher epoch--> unattached or follower of that epoch
 * - leader --no fetch from a majority for 1.5 x fetch timeout, or shutdown--> resigned (sends EndQuorumEpoch)
 *
 * Replication is pull based: followers and observers send Fetch with their log end offset
 * and last fetched epoch; the leader answers with records, its high watermark, or a
 * diverging epoch that tells the follower where to truncate. The leader's high watermark
 * is the largest offset a majority of voters has reached, once an entry of its own epoch
 * is among them. A fetch offset below the leader's log start gets a snapshot id instead
 * (KIP-630), which the follower then fetches whole.
 *
 * Deviations from Kafka: no pre-vote (KIP-996) and no dynamic voter changes (KIP-853);
 * records travel as values and are never split into byte-limited batches; a candidate that
 * loses simply retries after a fresh randomized timeout.
 */
import { assert } from '../assert';
import type { ErrorName } from '../errors';
import type { MetadataRecord } from '../metadata/records';
import type { NodeEnv } from '../sim/node';
import type {
  BeginQuorumEpochRequest,
  EndQuorumEpochRequest,
  FetchSnapshotRequest,
  FetchSnapshotResponse,
  LeaderAndEpoch,
  RaftFetchRequest,
  RaftFetchResponse,
  RaftMessage,
  VoteRequest,
  VoteResponse,
} from './messages';
import type { RaftEntry, RaftLog, RaftSnapshot } from './raft-log';

export type RaftRole = 'unattached' | 'candidate' | 'leader' | 'follower' | 'resigned';

export interface RaftConfig {
  readonly electionTimeoutMs: number;
  readonly fetchTimeoutMs: number;
  readonly electionBackoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly fetchMaxWaitMs: number;
}

/** What the state machine on top (controller or broker metadata loader) is told. */
export interface RaftListener {
  /** Entries that just became committed, in offset order. */
  handleCommit(entries: readonly RaftEntry[], highWatermark: number): void;
  handleLeaderChange(leader: LeaderAndEpoch): void;
  /** A snapshot replaced the state: forget everything and start from its image. */
  handleSnapshot(snapshot: RaftSnapshot): void;
}

export interface ReplicaProgress {
  readonly replicaId: number;
  /** Log end offset the leader last saw in this replica's fetch, -1 if none this epoch. */
  endOffset: number;
  lastFetchMs: number;
  lastCaughtUpMs: number;
}

interface ParkedFetch {
  readonly from: number;
  readonly request: RaftFetchRequest;
  readonly deadlineMs: number;
}

const T_ELECTION = 'raft-election';
const T_FETCH = 'raft-fetch';
const T_CHECK_QUORUM = 'raft-check-quorum';
const T_PARKED = 'raft-parked';
const T_BEGIN = 'raft-begin-epoch';

export class RaftNode {
  role: RaftRole = 'unattached';
  epoch = 0;
  leaderId: number | null = null;
  votedFor: number | null = null;
  highWatermark = 0;
  /** Next offset to hand to the listener as committed. */
  private appliedOffset = 0;
  private readonly votes = new Set<number>();
  private epochStartOffset = 0;
  private readonly progress = new Map<number, ReplicaProgress>();
  private parked: ParkedFetch[] = [];
  private correlationId = 0;
  private inflightFetch: number | null = null;
  private lastLeaderContactMs = 0;

  constructor(
    private readonly env: NodeEnv<RaftMessage>,
    readonly log: RaftLog,
    readonly voters: readonly number[],
    private readonly config: RaftConfig,
    private readonly listener: RaftListener,
  ) {}

  get isVoter(): boolean {
    return this.voters.includes(this.env.id);
  }

  get majority(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  /** Progress of every replica the leader has heard from (kafka-metadata-quorum --replication). */
  replicaProgress(): readonly ReplicaProgress[] {
    return [...this.progress.values()];
  }

  /** Loads the on-disk state of a (re)starting node. */
  start(): void {
    const snapshot = this.log.snapshot;
    if (snapshot !== null) {
      this.listener.handleSnapshot(snapshot);
      this.appliedOffset = snapshot.endOffset;
      this.highWatermark = snapshot.endOffset;
    }
    this.epoch = this.log.quorumState.epoch;
    this.votedFor = this.log.quorumState.votedFor;
    this.becomeUnattached(this.epoch, this.votedFor);
  }

  receive(from: number, message: RaftMessage): void {
    switch (message.kind) {
      case 'VoteRequest':
        return this.onVoteRequest(from, message);
      case 'VoteResponse':
        return this.onVoteResponse(from, message);
      case 'BeginQuorumEpochRequest':
        return this.onBeginQuorumEpoch(from, message);
      case 'BeginQuorumEpochResponse':
        return this.observeEpoch(message.leaderEpoch, message.leaderId);
      case 'EndQuorumEpochRequest':
        return this.onEndQuorumEpoch(message);
      case 'RaftFetchRequest':
        return this.onFetchRequest(from, message);
      case 'RaftFetchResponse':
        return this.onFetchResponse(message);
      case 'FetchSnapshotRequest':
        return this.onFetchSnapshotRequest(from, message);
      case 'FetchSnapshotResponse':
        return this.onFetchSnapshotResponse(message);
    }
  }

  onTimer(name: string): void {
    if (name === T_ELECTION) this.onElectionTimeout();
    else if (name === T_FETCH) this.sendFetch();
    else if (name === T_CHECK_QUORUM) this.checkQuorum();
    else if (name === T_PARKED) this.expireParkedFetches();
    else if (name === T_BEGIN) this.resendBeginQuorumEpoch();
  }

  /** Leader only: appends records as one batch at the current epoch; returns the last offset. */
  append(records: readonly MetadataRecord[]): number {
    assert(this.role === 'leader', 'only the quorum leader appends to __cluster_metadata');
    const last = this.log.append(
      this.epoch,
      records.map((record) => ({ kind: 'metadata', record })),
    );
    this.ownProgress().endOffset = this.log.endOffset;
    this.maybeAdvanceHighWatermark();
    this.completeParkedFetches();
    return last;
  }

  /** Graceful shutdown: a leader hands over by telling the voters to elect someone else now. */
  resign(): void {
    if (this.role !== 'leader') return;
    const successors = [...this.progress.values()]
      .filter((p) => p.replicaId !== this.env.id && this.voters.includes(p.replicaId))
      .sort((a, b) => b.endOffset - a.endOffset || a.replicaId - b.replicaId)
      .map((p) => p.replicaId);
    for (const voter of this.voters) {
      if (voter === this.env.id) continue;
      this.env.send(voter, { kind: 'EndQuorumEpochRequest', leaderEpoch: this.epoch, leaderId: this.env.id, preferredSuccessors: successors });
    }
    this.transition('resigned', this.epoch, null, this.votedFor);
    this.env.emit({ type: 'quorum-leader-resigned', node: this.env.id, message: `Controller ${this.env.id} resigned as quorum leader of epoch ${this.epoch}.`, data: { epoch: this.epoch } });
    this.env.setTimer(T_ELECTION, this.env.nowMs() + this.randomElectionTimeoutMs());
  }

  /** Leader or follower: replaces the log prefix up to `endOffset` with a snapshot of committed state. */
  createSnapshot(snapshot: RaftSnapshot): void {
    assert(snapshot.endOffset <= this.highWatermark, 'a snapshot may only cover committed entries');
    this.log.installSnapshot(snapshot);
    this.env.emit({ type: 'metadata-snapshot-created', node: this.env.id, message: `Node ${this.env.id} wrote a metadata snapshot up to offset ${snapshot.endOffset}; older log entries were deleted.`, data: { endOffset: snapshot.endOffset, epoch: snapshot.epoch } });
  }

  // ---- state transitions ------------------------------------------------------------

  private transition(role: RaftRole, epoch: number, leaderId: number | null, votedFor: number | null): void {
    const leaderChanged = leaderId !== this.leaderId || epoch !== this.epoch;
    if (role !== 'leader') this.clearLeaderState();
    this.role = role;
    this.epoch = epoch;
    this.leaderId = leaderId;
    this.votedFor = votedFor;
    // Kafka writes quorum-state before acting on a new epoch or vote, so a restarted voter
    // can never vote twice in one epoch.
    this.log.quorumState.epoch = epoch;
    this.log.quorumState.votedFor = votedFor;
    for (const name of [T_ELECTION, T_FETCH, T_CHECK_QUORUM, T_BEGIN]) this.env.cancelTimer(name);
    this.inflightFetch = null;
    if (leaderChanged) this.listener.handleLeaderChange({ leaderId, epoch });
  }

  private clearLeaderState(): void {
    this.progress.clear();
    this.parked = [];
    this.env.cancelTimer(T_PARKED);
  }

  private becomeUnattached(epoch: number, votedFor: number | null): void {
    this.transition('unattached', epoch, null, votedFor);
    if (this.isVoter) {
      this.env.setTimer(T_ELECTION, this.env.nowMs() + this.randomElectionTimeoutMs());
    } else {
      // An observer looks for the leader by asking any voter.
      this.sendFetch();
    }
  }

  private becomeFollower(epoch: number, leaderId: number): void {
    const votedFor = epoch === this.epoch ? this.votedFor : null;
    this.transition('follower', epoch, leaderId, votedFor);
    this.lastLeaderContactMs = this.env.nowMs();
    this.env.emit({
      type: 'quorum-follower',
      node: this.env.id,
      message: `Node ${this.env.id} follows controller ${leaderId} in quorum epoch ${epoch}.`,
      data: { epoch, leaderId, observer: !this.isVoter },
    });
    this.env.setTimer(T_ELECTION, this.env.nowMs() + this.config.fetchTimeoutMs);
    this.sendFetch();
  }

  private becomeCandidate(): void {
    assert(this.isVoter, 'observers never run for leader');
    const epoch = this.epoch + 1;
    this.transition('candidate', epoch, null, this.env.id);
    this.votes.clear();
    this.votes.add(this.env.id);
    this.env.emit({
      type: 'quorum-election-started',
      node: this.env.id,
      message: `Controller ${this.env.id} timed out waiting for a leader and runs for election in epoch ${epoch}, voting for itself.`,
      data: { epoch, lastOffset: this.log.endOffset, lastOffsetEpoch: this.log.lastEpoch },
    });
    if (this.votes.size >= this.majority) return this.becomeLeader();
    const request: VoteRequest = {
      kind: 'VoteRequest',
      candidateEpoch: epoch,
      candidateId: this.env.id,
      lastOffsetEpoch: this.log.lastEpoch,
      lastOffset: this.log.endOffset,
    };
    for (const voter of this.voters) if (voter !== this.env.id) this.env.send(voter, request);
    this.env.setTimer(T_ELECTION, this.env.nowMs() + this.randomElectionTimeoutMs());
  }

  private becomeLeader(): void {
    this.transition('leader', this.epoch, this.env.id, this.votedFor);
    const now = this.env.nowMs();
    this.epochStartOffset = this.log.endOffset;
    for (const voter of this.voters) {
      this.progress.set(voter, { replicaId: voter, endOffset: -1, lastFetchMs: now, lastCaughtUpMs: now });
    }
    this.env.emit({
      type: 'quorum-leader-elected',
      node: this.env.id,
      message: `Controller ${this.env.id} won the election with votes from ${[...this.votes].sort().join(', ')} and leads the quorum in epoch ${this.epoch}.`,
      data: { epoch: this.epoch, votes: [...this.votes].sort() },
    });
    this.log.append(this.epoch, [{ kind: 'leader-change', leaderId: this.env.id, voters: this.voters }]);
    this.ownProgress().endOffset = this.log.endOffset;
    this.resendBeginQuorumEpoch();
    this.env.setTimer(T_CHECK_QUORUM, now + this.checkQuorumMs());
    this.maybeAdvanceHighWatermark();
  }

  /** Any message that reveals a newer epoch moves this node into it. */
  private observeEpoch(epoch: number, leaderId: number | null): void {
    if (epoch < this.epoch) return;
    if (epoch === this.epoch && (this.leaderId !== null || leaderId === null)) return;
    if (leaderId === this.env.id) return;
    if (leaderId !== null) this.becomeFollower(epoch, leaderId);
    else this.becomeUnattached(epoch, epoch === this.epoch ? this.votedFor : null);
  }

  private onElectionTimeout(): void {
    if (!this.isVoter) {
      // An observer that stopped hearing from the leader goes looking again.
      if (this.role === 'follower') this.becomeUnattached(this.epoch, null);
      return;
    }
    if (this.role === 'leader') return;
    if (this.role === 'follower') {
      this.env.emit({
        type: 'quorum-leader-lost',
        node: this.env.id,
        message: `Controller ${this.env.id} got no fetch response from leader ${this.leaderId} for ${this.config.fetchTimeoutMs} ms (controller.quorum.fetch.timeout.ms).`,
        data: { epoch: this.epoch, leaderId: this.leaderId },
      });
    }
    this.becomeCandidate();
  }

  private randomElectionTimeoutMs(): number {
    return this.config.electionTimeoutMs + this.env.prng.int(this.config.electionTimeoutMs);
  }

  private checkQuorumMs(): number {
    return Math.floor(this.config.fetchTimeoutMs * 1.5);
  }

  // ---- voting -----------------------------------------------------------------------

  private onVoteRequest(from: number, request: VoteRequest): void {
    if (request.candidateEpoch > this.epoch) this.becomeUnattached(request.candidateEpoch, null);
    const granted = request.candidateEpoch === this.epoch && this.canGrantVote(request);
    if (granted) {
      this.votedFor = request.candidateId;
      this.log.quorumState.votedFor = request.candidateId;
      this.env.setTimer(T_ELECTION, this.env.nowMs() + this.randomElectionTimeoutMs());
    }
    this.env.emit({
      type: granted ? 'quorum-vote-granted' : 'quorum-vote-rejected',
      node: this.env.id,
      message: granted
        ? `Controller ${this.env.id} votes for ${request.candidateId} in epoch ${request.candidateEpoch}.`
        : `Controller ${this.env.id} rejects ${request.candidateId}'s vote request for epoch ${request.candidateEpoch}${this.rejectReason(request)}.`,
      data: { candidateId: request.candidateId, epoch: request.candidateEpoch },
    });
    const response: VoteResponse = { kind: 'VoteResponse', leaderEpoch: this.epoch, leaderId: this.leaderId, voteGranted: granted };
    this.env.send(from, response);
  }

  private canGrantVote(request: VoteRequest): boolean {
    if (!this.isVoter || this.role === 'leader' || this.role === 'resigned' || this.leaderId !== null) return false;
    if (this.votedFor !== null && this.votedFor !== request.candidateId) return false;
    return this.candidateLogIsUpToDate(request);
  }

  /** Raft's election restriction: only a candidate whose log holds every committed entry may win. */
  private candidateLogIsUpToDate(request: VoteRequest): boolean {
    const lastEpoch = this.log.lastEpoch;
    return request.lastOffsetEpoch > lastEpoch || (request.lastOffsetEpoch === lastEpoch && request.lastOffset >= this.log.endOffset);
  }

  private rejectReason(request: VoteRequest): string {
    if (request.candidateEpoch < this.epoch) return ` (its epoch is older than ${this.epoch})`;
    if (this.leaderId !== null) return ` (it already follows leader ${this.leaderId})`;
    if (this.votedFor !== null && this.votedFor !== request.candidateId) return ` (it already voted for ${this.votedFor})`;
    if (!this.candidateLogIsUpToDate(request)) return ' (the candidate log is behind its own)';
    return '';
  }

  private onVoteResponse(from: number, response: VoteResponse): void {
    if (response.leaderEpoch > this.epoch) return this.observeEpoch(response.leaderEpoch, response.leaderId);
    if (this.role !== 'candidate' || response.leaderEpoch !== this.epoch || !response.voteGranted) return;
    this.votes.add(from);
    if (this.votes.size >= this.majority) this.becomeLeader();
  }

  private onBeginQuorumEpoch(from: number, request: BeginQuorumEpochRequest): void {
    if (request.leaderEpoch >= this.epoch) this.observeEpoch(request.leaderEpoch, request.leaderId);
    const errorCode: ErrorName = request.leaderEpoch < this.epoch ? 'FENCED_LEADER_EPOCH' : 'NONE';
    this.env.send(from, { kind: 'BeginQuorumEpochResponse', errorCode, leaderEpoch: this.epoch, leaderId: this.leaderId });
  }

  private resendBeginQuorumEpoch(): void {
    if (this.role !== 'leader') return;
    // Voters that have not fetched in this epoch may have missed the announcement.
    for (const voter of this.voters) {
      if (voter === this.env.id || (this.progress.get(voter)?.endOffset ?? -1) >= 0) continue;
      this.env.send(voter, { kind: 'BeginQuorumEpochRequest', leaderEpoch: this.epoch, leaderId: this.env.id });
    }
    this.env.setTimer(T_BEGIN, this.env.nowMs() + this.config.requestTimeoutMs);
  }

  private onEndQuorumEpoch(request: EndQuorumEpochRequest): void {
    if (request.leaderEpoch < this.epoch || !this.isVoter) return;
    if (this.role === 'leader') return;
    this.becomeUnattached(request.leaderEpoch, this.votedFor);
    // The most caught-up successor runs first; the others wait longer, so they rarely split the vote.
    const position = request.preferredSuccessors.indexOf(this.env.id);
    const backoffMs =
      position < 0
        ? this.randomElectionTimeoutMs()
        : Math.min(this.config.electionBackoffMaxMs, this.config.retryBackoffMs * 2 ** position * (1 + this.env.prng.next()));
    this.env.setTimer(T_ELECTION, this.env.nowMs() + Math.floor(backoffMs));
  }

  // ---- leader side of Fetch ---------------------------------------------------------

  private onFetchRequest(from: number, request: RaftFetchRequest): void {
    const refusal = this.fetchRefusal(request);
    if (refusal !== null) return this.env.send(from, this.fetchResponse(request, refusal, []));
    if (request.fetchOffset < this.log.startOffset && this.log.snapshot !== null) {
      const { endOffset, epoch } = this.log.snapshot;
      return this.env.send(from, { ...this.fetchResponse(request, 'NONE', []), snapshotId: { endOffset, epoch } });
    }
    const diverging = this.divergence(request);
    if (diverging !== null) return this.env.send(from, { ...this.fetchResponse(request, 'NONE', []), divergingEpoch: diverging });
    this.updateProgress(from, request.fetchOffset);
    if (request.fetchOffset < this.log.endOffset || request.maxWaitMs <= 0) return this.answerFetch(from, request);
    // Nothing new: hold the request (long poll) until data arrives or the wait runs out.
    const deadlineMs = this.env.nowMs() + request.maxWaitMs;
    this.parked = this.parked.filter((p) => p.from !== from);
    this.parked.push({ from, request, deadlineMs });
    this.armParkedTimer();
  }

  private fetchRefusal(request: RaftFetchRequest): ErrorName | null {
    if (this.role !== 'leader') return 'NOT_LEADER_OR_FOLLOWER';
    if (request.currentLeaderEpoch < this.epoch) return 'FENCED_LEADER_EPOCH';
    if (request.currentLeaderEpoch > this.epoch) return 'UNKNOWN_LEADER_EPOCH';
    return null;
  }

  private divergence(request: RaftFetchRequest): { epoch: number; endOffset: number } | null {
    if (request.fetchOffset === 0 || request.lastFetchedEpoch === 0) return null;
    const mine = this.log.endOffsetForEpoch(request.lastFetchedEpoch);
    if (mine.epoch === request.lastFetchedEpoch && mine.endOffset >= request.fetchOffset) return null;
    return mine.epoch < 0 ? { epoch: 0, endOffset: 0 } : mine;
  }

  private fetchResponse(request: RaftFetchRequest, errorCode: ErrorName, records: readonly RaftEntry[]): RaftFetchResponse {
    return {
      kind: 'RaftFetchResponse',
      correlationId: request.correlationId,
      errorCode,
      currentLeader: { leaderId: this.leaderId, epoch: this.epoch },
      highWatermark: this.highWatermark,
      divergingEpoch: null,
      snapshotId: null,
      records,
    };
  }

  private answerFetch(from: number, request: RaftFetchRequest): void {
    this.env.send(from, this.fetchResponse(request, 'NONE', this.log.slice(request.fetchOffset)));
  }

  private updateProgress(replicaId: number, fetchOffset: number): void {
    const now = this.env.nowMs();
    const entry = this.progress.get(replicaId) ?? { replicaId, endOffset: -1, lastFetchMs: now, lastCaughtUpMs: now };
    entry.endOffset = fetchOffset;
    entry.lastFetchMs = now;
    if (fetchOffset >= this.log.endOffset) entry.lastCaughtUpMs = now;
    this.progress.set(replicaId, entry);
    if (this.voters.includes(replicaId)) this.maybeAdvanceHighWatermark();
  }

  private ownProgress(): ReplicaProgress {
    const own = this.progress.get(this.env.id);
    assert(own !== undefined, 'the leader tracks its own progress');
    own.lastFetchMs = this.env.nowMs();
    own.lastCaughtUpMs = this.env.nowMs();
    return own;
  }

  private maybeAdvanceHighWatermark(): void {
    const offsets = this.voters.map((v) => this.progress.get(v)?.endOffset ?? -1).sort((a, b) => b - a);
    const candidate = offsets[this.majority - 1] ?? -1;
    // Raft commits entries of older epochs only by committing one of the leader's own epoch.
    if (candidate <= this.highWatermark || candidate <= this.epochStartOffset) return;
    this.setHighWatermark(candidate);
    this.completeParkedFetches();
  }

  private setHighWatermark(offset: number): void {
    if (offset <= this.highWatermark) return;
    this.highWatermark = offset;
    this.deliverCommitted();
  }

  private deliverCommitted(): void {
    const upTo = Math.min(this.highWatermark, this.log.endOffset);
    if (this.appliedOffset >= upTo) return;
    const entries = this.log.slice(Math.max(this.appliedOffset, this.log.startOffset), upTo);
    this.appliedOffset = upTo;
    this.listener.handleCommit(entries, this.highWatermark);
  }

  private completeParkedFetches(): void {
    const parked = this.parked;
    this.parked = [];
    for (const p of parked) this.answerFetch(p.from, p.request);
    this.env.cancelTimer(T_PARKED);
  }

  private expireParkedFetches(): void {
    const now = this.env.nowMs();
    const due = this.parked.filter((p) => p.deadlineMs <= now);
    this.parked = this.parked.filter((p) => p.deadlineMs > now);
    for (const p of due) this.answerFetch(p.from, p.request);
    this.armParkedTimer();
  }

  private armParkedTimer(): void {
    if (this.parked.length === 0) return this.env.cancelTimer(T_PARKED);
    this.env.setTimer(T_PARKED, Math.min(...this.parked.map((p) => p.deadlineMs)));
  }

  private checkQuorum(): void {
    if (this.role !== 'leader') return;
    const now = this.env.nowMs();
    const windowMs = this.checkQuorumMs();
    const reachable = this.voters.filter((v) => v === this.env.id || now - (this.progress.get(v)?.lastFetchMs ?? -Infinity) < windowMs);
    if (reachable.length < this.majority) {
      this.env.emit({
        type: 'quorum-check-failed',
        node: this.env.id,
        message: `Leader ${this.env.id} has not heard from a majority of voters for ${windowMs} ms and gives up epoch ${this.epoch}.`,
        data: { epoch: this.epoch, reachable },
      });
      return this.resign();
    }
    this.env.setTimer(T_CHECK_QUORUM, now + windowMs);
  }

  // ---- follower and observer side of Fetch ------------------------------------------

  private sendFetch(): void {
    if (this.role === 'leader' || this.role === 'candidate' || this.role === 'resigned') return;
    if (this.isVoter && this.leaderId === null) return;
    const target = this.leaderId ?? this.env.prng.pick(this.voters);
    assert(target !== undefined, 'the quorum has at least one voter');
    const correlationId = ++this.correlationId;
    this.inflightFetch = correlationId;
    this.env.send(target, {
      kind: 'RaftFetchRequest',
      correlationId,
      replicaId: this.env.id,
      currentLeaderEpoch: this.epoch,
      fetchOffset: this.log.endOffset,
      lastFetchedEpoch: this.log.lastEpoch,
      maxWaitMs: this.config.fetchMaxWaitMs,
    });
    this.env.setTimer(T_FETCH, this.env.nowMs() + this.config.requestTimeoutMs);
  }

  private onFetchResponse(response: RaftFetchResponse): void {
    if (response.correlationId !== this.inflightFetch) return;
    this.inflightFetch = null;
    this.env.cancelTimer(T_FETCH);
    const { leaderId, epoch } = response.currentLeader;
    if (epoch > this.epoch || (epoch === this.epoch && this.leaderId === null && leaderId !== null)) {
      this.observeEpoch(epoch, leaderId);
      return;
    }
    if (response.errorCode !== 'NONE' || this.role !== 'follower' || leaderId !== this.leaderId) {
      this.env.setTimer(T_FETCH, this.env.nowMs() + this.config.retryBackoffMs);
      return;
    }
    this.lastLeaderContactMs = this.env.nowMs();
    this.env.setTimer(T_ELECTION, this.lastLeaderContactMs + this.config.fetchTimeoutMs);
    if (response.snapshotId !== null) return this.sendFetchSnapshot(response.snapshotId);
    if (response.divergingEpoch !== null) this.truncateToDivergence(response.divergingEpoch);
    else this.appendFetched(response);
    this.scheduleNextFetch();
  }

  private appendFetched(response: RaftFetchResponse): void {
    this.log.appendFetched(response.records);
    this.setHighWatermark(Math.min(response.highWatermark, this.log.endOffset));
  }

  private truncateToDivergence(diverging: { epoch: number; endOffset: number }): void {
    const mine = this.log.endOffsetForEpoch(diverging.epoch);
    const offset = Math.min(diverging.endOffset, mine.endOffset < 0 ? 0 : mine.endOffset, this.log.endOffset);
    assert(offset >= this.highWatermark, `metadata log truncation to ${offset} would remove committed entries (HW ${this.highWatermark})`);
    const removed = this.log.endOffset - offset;
    this.log.truncateTo(offset);
    this.env.emit({
      type: 'metadata-log-truncated',
      node: this.env.id,
      message: `Node ${this.env.id} found its metadata log diverged from the leader's at epoch ${diverging.epoch} and truncated ${removed} uncommitted record(s) back to offset ${offset}.`,
      data: { offset, removed, divergingEpoch: diverging.epoch },
    });
  }

  private scheduleNextFetch(): void {
    // A slow disk delays the next fetch, as the follower must first write what it got.
    const delayMs = this.env.diskDelayMs();
    if (delayMs > 0) this.env.setTimer(T_FETCH, this.env.nowMs() + delayMs);
    else this.sendFetch();
  }

  private sendFetchSnapshot(snapshotId: { endOffset: number; epoch: number }): void {
    assert(this.leaderId !== null, 'a snapshot is fetched from the leader');
    const correlationId = ++this.correlationId;
    this.inflightFetch = correlationId;
    this.env.send(this.leaderId, { kind: 'FetchSnapshotRequest', correlationId, replicaId: this.env.id, currentLeaderEpoch: this.epoch, snapshotId });
    this.env.setTimer(T_FETCH, this.env.nowMs() + this.config.requestTimeoutMs);
  }

  private onFetchSnapshotRequest(from: number, request: FetchSnapshotRequest): void {
    const snapshot = this.log.snapshot;
    const ok = this.role === 'leader' && request.currentLeaderEpoch === this.epoch && snapshot !== null;
    const response: FetchSnapshotResponse = {
      kind: 'FetchSnapshotResponse',
      correlationId: request.correlationId,
      errorCode: ok ? 'NONE' : this.role === 'leader' ? 'SNAPSHOT_NOT_FOUND' : 'NOT_LEADER_OR_FOLLOWER',
      currentLeader: { leaderId: this.leaderId, epoch: this.epoch },
      snapshot: ok ? snapshot : null,
    };
    this.env.send(from, response);
  }

  private onFetchSnapshotResponse(response: FetchSnapshotResponse): void {
    if (response.correlationId !== this.inflightFetch) return;
    this.inflightFetch = null;
    this.env.cancelTimer(T_FETCH);
    if (response.snapshot === null) {
      this.env.setTimer(T_FETCH, this.env.nowMs() + this.config.retryBackoffMs);
      return;
    }
    const snapshot = response.snapshot;
    this.log.installSnapshot(snapshot);
    this.log.truncateTo(snapshot.endOffset);
    this.highWatermark = Math.max(this.highWatermark, snapshot.endOffset);
    this.appliedOffset = snapshot.endOffset;
    this.listener.handleSnapshot(snapshot);
    this.env.emit({
      type: 'metadata-snapshot-loaded',
      node: this.env.id,
      message: `Node ${this.env.id} was too far behind the metadata log and loaded the leader's snapshot at offset ${snapshot.endOffset}.`,
      data: { endOffset: snapshot.endOffset },
    });
    this.sendFetch();
  }
}
