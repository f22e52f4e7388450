/**
 * Group administration: DescribeGroups (15) v0–5, ListGroups (16) v0–4, DeleteGroups (42) v0–2.
 *
 * Behaviour: DescribeGroups answers, per group, NOT_COORDINATOR unless this broker owns it
 * (clients ask each group's coordinator), else its state (Kafka's names: Empty,
 * PreparingRebalance, CompletingRebalance, Stable, Dead), protocol and members with their
 * metadata and assignment bytes; an unknown group is Dead with no members, as in Kafka.
 * ListGroups lists only the groups of `__consumer_offsets` partitions this broker leads,
 * which is why Kafka's admin clients ask every broker; v4's `states_filter` filters them.
 * DeleteGroups deletes empty groups (NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND for
 * unknown ones) on their coordinator.
 *
 * Deviations: `authorized_operations` is always "not requested" (-2^31); no ACLs exist.
 * ListGroups v5 (`types_filter`) is not served.
 */
import type { DescribedGroup } from '@kil/engine';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../messages/42-delete-groups';
import type { DescribeGroupsRequest, DescribeGroupsResponse, DescribeGroupsResponseDescribedGroup } from '../messages/15-describe-groups';
import type { ListGroupsRequest, ListGroupsResponse } from '../messages/16-list-groups';
import { codeOfName, coordinatorCall, NO_AUTHORIZED_OPERATIONS } from './coordinator-errors';
import type { HandlerEnv } from './context';

export function handleDescribeGroups(env: HandlerEnv, request: DescribeGroupsRequest): Promise<DescribeGroupsResponse> {
  const failed = (errorCode: number): DescribeGroupsResponse => ({
    throttleTimeMs: 0,
    groups: request.groups.map((groupId) => ({ errorCode, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: NO_AUTHORIZED_OPERATIONS })),
  });
  return coordinatorCall(
    () => env.engine(() => env.broker.describeGroups(request.groups)),
    (groups): DescribeGroupsResponse => ({ throttleTimeMs: 0, groups: groups.map(describedGroup) }),
    failed,
  );
}

function describedGroup(group: DescribedGroup): DescribeGroupsResponseDescribedGroup {
  return {
    errorCode: codeOfName(group.error),
    groupId: group.groupId,
    groupState: group.groupState,
    protocolType: group.protocolType,
    protocolData: group.protocolData,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.memberMetadata,
      memberAssignment: m.memberAssignment,
    })),
    authorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
}

export function handleListGroups(env: HandlerEnv, request: ListGroupsRequest): Promise<ListGroupsResponse> {
  return coordinatorCall(
    () => env.engine(() => env.broker.listGroups({ statesFilter: request.statesFilter })),
    (groups): ListGroupsResponse => ({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState })),
    }),
    (errorCode): ListGroupsResponse => ({ throttleTimeMs: 0, errorCode, groups: [] }),
  );
}

export function handleDeleteGroups(env: HandlerEnv, request: DeleteGroupsRequest): Promise<DeleteGroupsResponse> {
  return coordinatorCall(
    () => env.engine(() => env.broker.deleteGroups(request.groupsNames)),
    (results): DeleteGroupsResponse => ({ throttleTimeMs: 0, results: results.map((r) => ({ groupId: r.groupId, errorCode: codeOfName(r.error) })) }),
    (errorCode): DeleteGroupsResponse => ({ throttleTimeMs: 0, results: request.groupsNames.map((groupId) => ({ groupId, errorCode })) }),
  );
}
