/**
 * Produce (api key 0): versions 3–9 served; 0–2 are advertised (clients expect the range to
 * start at 0) but answered UNSUPPORTED_VERSION on every partition, because they carry
 * message sets v0/v1 that this broker does not convert.
 *
 * Behaviour: `acks` must be -1, 0 or 1 (INVALID_REQUIRED_ACKS for every partition otherwise,
 * as Kafka's request validation does). Each partition's records go to the engine broker as
 * one opaque record batch; the engine validates it (CORRUPT_MESSAGE for a bad CRC, length or
 * magic; INVALID_RECORD for bad offset deltas, client control batches or a missing
 * sequence; MESSAGE_TOO_LARGE; NOT_LEADER_OR_FOLLOWER; NOT_ENOUGH_REPLICAS(_AFTER_APPEND);
 * REQUEST_TIMED_OUT after `timeout_ms` for acks=all) and stamps base offset and leader
 * epoch. Partitions are appended concurrently and answered together. acks=0 requests are
 * appended and never answered (the adapter sends nothing).
 *
 * Deviations: v8 `record_errors` is always empty (the engine rejects whole batches);
 * `error_message` carries the engine's sentence and suggestion.
 */
import { KafkaError } from '@kil/engine';
import type { ProduceRequest, ProduceResponse, ProduceResponsePartitionProduceResponse } from '../messages/00-produce';
import type { RequestContext } from '../server/types';
import { errorMessageOf, NONE, partitionErrorCode, unsupported, type HandlerEnv } from './context';

const validAcks = new Set([-1, 0, 1]);

function failed(index: number, error: KafkaError): ProduceResponsePartitionProduceResponse {
  return { index, errorCode: error.code, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: errorMessageOf(error) };
}

/** The request-wide error every partition gets, or null when the request may proceed. */
function requestError(request: ProduceRequest, version: number): KafkaError | null {
  if (version < 3) return unsupported(`Produce v${version} carries message format v0/v1; this broker accepts record batch v2 (Produce v3+).`);
  if (!validAcks.has(request.acks)) {
    return new KafkaError('INVALID_REQUIRED_ACKS', `acks=${request.acks} is not valid.`, 'Use acks=0, acks=1 or acks=all (-1).');
  }
  return null;
}

export async function handleProduce(env: HandlerEnv, request: ProduceRequest, context: RequestContext): Promise<ProduceResponse> {
  const refused = requestError(request, context.header.requestApiVersion);
  const acks = request.acks as -1 | 0 | 1;
  const responses = await Promise.all(
    request.topicData.map(async (topic) => ({
      name: topic.name,
      partitionResponses: await Promise.all(
        topic.partitionData.map((p) => (refused !== null ? failed(p.index, refused) : producePartition(env, topic.name, p.index, p.records, acks, request.timeoutMs))),
      ),
    })),
  );
  return { responses, throttleTimeMs: 0 };
}

async function producePartition(
  env: HandlerEnv,
  topic: string,
  partition: number,
  records: Uint8Array | null,
  acks: -1 | 0 | 1,
  timeoutMs: number,
): Promise<ProduceResponsePartitionProduceResponse> {
  if (records === null || records.length === 0) {
    return failed(partition, new KafkaError('INVALID_RECORD', `The produce request for ${topic}-${partition} has no record batch.`, 'Send exactly one record batch per partition.'));
  }
  try {
    const out = await env.engine(() => env.broker.produce({ topic, partition, batch: records, acks, timeoutMs: Math.max(0, timeoutMs) }));
    if (out.error !== null) return { ...failed(partition, out.error), logStartOffset: out.logStartOffset };
    return { index: partition, errorCode: NONE, baseOffset: out.baseOffset, logAppendTimeMs: out.logAppendTimeMs, logStartOffset: out.logStartOffset, recordErrors: [], errorMessage: null };
  } catch (error) {
    return { index: partition, errorCode: partitionErrorCode(error), baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: errorMessageOf(error) };
  }
}
