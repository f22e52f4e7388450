/**
 * The classic group protocol: JoinGroup (11) v0–7, Heartbeat (12) v0–4, LeaveGroup (13) v0–4
 * and SyncGroup (14) v0–5, answered by the engine's group coordinator on this broker.
 *
 * Behaviour: the coordinator decides everything (Kafka's error names, mapped to codes):
 * NOT_COORDINATOR on a broker that does not own the group, COORDINATOR_LOAD_IN_PROGRESS
 * while it loads its `__consumer_offsets` partition, MEMBER_ID_REQUIRED (v4+, KIP-394) with
 * the member id the client must rejoin with, REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION,
 * UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID (KIP-345), INVALID_SESSION_TIMEOUT outside
 * group.min/max.session.timeout.ms, INCONSISTENT_GROUP_PROTOCOL. A JoinGroup is held until
 * the rebalance completes (every member rejoined or the rebalance timeout passed), and a
 * follower's SyncGroup until the leader's assignment arrives. Protocol metadata and
 * assignments are opaque bytes passed through.
 *
 * Versions: v0 JoinGroup has no rebalance timeout, so the session timeout stands in for it,
 * as in Kafka. LeaveGroup v0–2 name one member and carry its error at the top level; v3+
 * (KIP-345) batch members. `clientHost` is the peer address with Kafka's leading slash.
 *
 * Deviations: JoinGroup v8+ (`reason`) and LeaveGroup v5+ are not served (see SCOPE.md).
 */
import type { JoinGroupResponse as EngineJoin } from '@kil/engine';
import type { HeartbeatRequest, HeartbeatResponse } from '../messages/12-heartbeat';
import type { JoinGroupRequest, JoinGroupResponse } from '../messages/11-join-group';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../messages/13-leave-group';
import type { SyncGroupRequest, SyncGroupResponse } from '../messages/14-sync-group';
import type { RequestContext } from '../server/types';
import { codeOfName, coordinatorCall } from './coordinator-errors';
import type { HandlerEnv } from './context';

const EMPTY = new Uint8Array(0);

/** The client's address as Kafka reports it in DescribeGroups (`/127.0.0.1`). */
export function clientHostOf(context: RequestContext): string {
  return `/${context.connection.remoteAddress.replace(/^::ffff:/, '')}`;
}

export function handleJoinGroup(env: HandlerEnv, request: JoinGroupRequest, context: RequestContext): Promise<JoinGroupResponse> {
  const version = context.header.requestApiVersion;
  const failed = (errorCode: number): JoinGroupResponse => ({ throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: version >= 7 ? null : '', leader: '', memberId: request.memberId, members: [] });
  return coordinatorCall(
    () =>
      env.engine(() =>
        env.broker.joinGroup({
          groupId: request.groupId,
          sessionTimeoutMs: request.sessionTimeoutMs,
          rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          protocolType: request.protocolType,
          protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
          clientId: context.header.clientId ?? '',
          clientHost: clientHostOf(context),
          version,
        }),
      ),
    (out) => joinResponse(out, version),
    failed,
  );
}

function joinResponse(out: EngineJoin, version: number): JoinGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode: codeOfName(out.error),
    generationId: out.generationId,
    protocolType: out.protocolType,
    // Below v7 the protocol name is a non-null string; '' is what Kafka sends on errors.
    protocolName: version >= 7 ? out.protocolName : (out.protocolName ?? ''),
    leader: out.leader,
    memberId: out.memberId,
    members: out.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  };
}

export function handleSyncGroup(env: HandlerEnv, request: SyncGroupRequest): Promise<SyncGroupResponse> {
  return coordinatorCall(
    () =>
      env.engine(() =>
        env.broker.syncGroup({
          groupId: request.groupId,
          generationId: request.generationId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          protocolType: request.protocolType,
          protocolName: request.protocolName,
          assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
        }),
      ),
    (out): SyncGroupResponse => ({ throttleTimeMs: 0, errorCode: codeOfName(out.error), protocolType: out.protocolType, protocolName: out.protocolName, assignment: out.assignment }),
    (errorCode): SyncGroupResponse => ({ throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: EMPTY }),
  );
}

export function handleHeartbeat(env: HandlerEnv, request: HeartbeatRequest): Promise<HeartbeatResponse> {
  return coordinatorCall(
    () => env.engine(() => env.broker.heartbeat({ groupId: request.groupId, generationId: request.generationId, memberId: request.memberId, groupInstanceId: request.groupInstanceId })),
    (out): HeartbeatResponse => ({ throttleTimeMs: 0, errorCode: codeOfName(out.error) }),
    (errorCode): HeartbeatResponse => ({ throttleTimeMs: 0, errorCode }),
  );
}

export function handleLeaveGroup(env: HandlerEnv, request: LeaveGroupRequest, context: RequestContext): Promise<LeaveGroupResponse> {
  const version = context.header.requestApiVersion;
  const members = version >= 3 ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })) : [{ memberId: request.memberId, groupInstanceId: null }];
  return coordinatorCall(
    () => env.engine(() => env.broker.leaveGroup({ groupId: request.groupId, members })),
    (out): LeaveGroupResponse => {
      const results = out.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: codeOfName(m.error) }));
      let errorCode = codeOfName(out.error);
      // v0–2 have no per-member results: the one member's error is the request's.
      if (version < 3 && errorCode === 0) errorCode = results[0]?.errorCode ?? 0;
      return { throttleTimeMs: 0, errorCode, members: results };
    },
    (errorCode): LeaveGroupResponse => ({ throttleTimeMs: 0, errorCode, members: [] }),
  );
}
