/**
 * FindCoordinator (api key 10), versions 0–4.
 *
 * Behaviour: key type 0 finds a group's coordinator, 1 a transactional id's (v0 knows groups
 * only); the answer is the leader of the `__consumer_offsets` or `__transaction_state`
 * partition that owns the key, at its real listener address. The first request for a
 * coordinator creates the internal topic, and COORDINATOR_NOT_AVAILABLE (retriable) is the
 * answer until it has a leader. v4 batches keys: each key is looked up on its own and
 * answered in request order.
 *
 * Deviations: key types other than 0 and 1 answer INVALID_REQUEST per key, where Kafka fails
 * the request; share groups (key type 2) do not exist here.
 */
import type { CoordinatorKeyType, FindCoordinatorResult } from '@kil/engine';
import type { FindCoordinatorRequest, FindCoordinatorResponse, FindCoordinatorResponseCoordinator } from '../messages/10-find-coordinator';
import type { RequestContext } from '../server/types';
import { coordinatorCall } from './coordinator-errors';
import { code, errorMessageOf, NONE, type HandlerEnv } from './context';

const keyTypes: Readonly<Record<number, CoordinatorKeyType>> = { 0: 'group', 1: 'transaction' };

export async function handleFindCoordinator(env: HandlerEnv, request: FindCoordinatorRequest, context: RequestContext): Promise<FindCoordinatorResponse> {
  const version = context.header.requestApiVersion;
  const keyType = keyTypes[version === 0 ? 0 : request.keyType];
  const keys = version >= 4 ? request.coordinatorKeys : [request.key];
  const coordinators = await Promise.all(keys.map((key) => findOne(env, keyType, key)));
  const first = coordinators[0] ?? { key: request.key, nodeId: -1, host: '', port: -1, errorCode: code('INVALID_REQUEST'), errorMessage: 'No coordinator key was given.' };
  return {
    throttleTimeMs: 0,
    errorCode: first.errorCode,
    errorMessage: first.errorMessage,
    nodeId: first.nodeId,
    host: first.host,
    port: first.port,
    coordinators,
  };
}

async function findOne(env: HandlerEnv, keyType: CoordinatorKeyType | undefined, key: string): Promise<FindCoordinatorResponseCoordinator> {
  const failed = (errorCode: number, errorMessage: string | null): FindCoordinatorResponseCoordinator => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage });
  if (keyType === undefined) return failed(code('INVALID_REQUEST'), 'Unknown coordinator key type: use 0 (group) or 1 (transaction).');
  return coordinatorCall(
    () => env.engine(() => env.broker.findCoordinator(keyType, key)),
    (found) => answer(env, found),
    (errorCode) => failed(errorCode, null),
  );
}

function answer(env: HandlerEnv, found: FindCoordinatorResult): FindCoordinatorResponseCoordinator {
  if (found.error !== null) return { key: found.key, nodeId: -1, host: '', port: -1, errorCode: found.error.code, errorMessage: errorMessageOf(found.error) };
  const address = env.advertised(found.nodeId);
  return { key: found.key, nodeId: found.nodeId, host: address?.host ?? found.host, port: address?.port ?? found.port, errorCode: NONE, errorMessage: null };
}
