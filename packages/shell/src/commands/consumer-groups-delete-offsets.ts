/**
 * kafka-consumer-groups --delete-offsets --group G --topic T[:p,q] (KIP-496): remove the
 * group's committed offsets for those partitions through the admin client's OffsetDelete,
 * and print ConsumerGroupCommand's result: one summary line, then a TOPIC PARTITION STATUS
 * table sorted by topic and partition. A topic the group's members subscribe to keeps its
 * offsets (GROUP_SUBSCRIBED_TO_TOPIC); an unknown topic shows "Not Provided" as its partition.
 * Lab deviations: a failed partition's STATUS names the error instead of a Java exception,
 * and any error makes the exit code 1 (Kafka exits 0).
 */
import type { KafkaError } from '@kil/engine';
import type { ParsedOptions } from '../args';
import type { CommandEnv } from '../command';

interface PartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaError | { readonly errorName: string; readonly message: string } | null;
}

/** `orders` (every partition of the topic) or `orders:0,2`; unknown topics become "Not Provided" rows. */
function requested(specs: readonly string[], env: CommandEnv): { known: Array<{ topic: string; partition: number }>; unknown: PartitionResult[] } {
  const topics = env.cluster.snapshot().topics;
  const known: Array<{ topic: string; partition: number }> = [];
  const unknown: PartitionResult[] = [];
  for (const spec of specs) {
    const cut = spec.lastIndexOf(':');
    const name = cut < 0 ? spec : spec.slice(0, cut);
    const list = cut < 0 ? undefined : spec.slice(cut + 1);
    const topic = topics.find((t) => t.name === name);
    if (list !== undefined) {
      for (const p of list.split(',').filter((s) => s.trim() !== '')) known.push({ topic: name, partition: Number(p) });
    } else if (topic) {
      for (const p of topic.partitions) known.push({ topic: name, partition: p.partition });
    } else {
      unknown.push({ topic: name, partition: -1, error: { errorName: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'This server does not host this topic-partition.' } });
    }
  }
  return { known, unknown };
}

function summary(groupId: string, topics: readonly string[], groupError: string | null, partitionError: string | null): { line: string; failed: boolean } {
  switch (groupError ?? partitionError) {
    case null:
      return { line: `Request succeed for deleting offsets with topic ${topics.join(', ')} group ${groupId}`, failed: false };
    case 'INVALID_GROUP_ID':
      return { line: `Error: '${groupId}' is not valid.`, failed: true };
    case 'GROUP_ID_NOT_FOUND':
      return { line: `Error: '${groupId}' does not exist.`, failed: true };
    case 'NON_EMPTY_GROUP':
      return { line: `Error: Deleting offsets of a consumer group '${groupId}' is forbidden if the group is not empty.`, failed: true };
    case 'GROUP_SUBSCRIBED_TO_TOPIC':
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      return { line: 'Error: Encounter some partition level error, see the follow-up details:', failed: true };
    default:
      return { line: `Error: Encounter some unknown error: ${groupError ?? partitionError}`, failed: true };
  }
}

export async function deleteOffsets(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const groupId = opts.value('group') as string;
  const topics = [...opts.values('topic')];
  const { known, unknown } = requested(topics, env);
  const answer = known.length === 0 ? { error: null, partitions: [] } : await env.wait(env.cluster.admin.deleteConsumerGroupOffsets(groupId, known));
  const rows: PartitionResult[] = [...answer.partitions, ...unknown];
  const firstPartitionError = rows.find((r) => r.error !== null)?.error ?? null;
  const { line, failed } = summary(groupId, topics, answer.error?.errorName ?? null, firstPartitionError?.errorName ?? null);
  if (failed) env.out.error(line);
  else env.out.line(line);
  const format = (topic: string, partition: string, status: string): string => `${topic.padEnd(30)} ${partition.padEnd(15)} ${status}`.trimEnd();
  const sorted = [...rows].sort((a, b) => (`${a.topic}${a.partition}` < `${b.topic}${b.partition}` ? -1 : 1));
  env.out.line(['', format('TOPIC', 'PARTITION', 'STATUS'), ...sorted.map((r) => format(r.topic, r.partition >= 0 ? String(r.partition) : 'Not Provided', r.error === null ? 'Successful' : `Error: ${r.error.errorName}: ${r.error.message}`))].join('\n'));
  if (!failed) return 0;
  const name = answer.error?.errorName ?? firstPartitionError?.errorName;
  if (name === 'GROUP_SUBSCRIBED_TO_TOPIC') env.out.hint('GROUP_SUBSCRIBED_TO_TOPIC (error code 86): the group\'s members still consume that topic; stop them first (`clients stop all`), then delete its offsets');
  else if (name === 'NON_EMPTY_GROUP') env.out.hint('NON_EMPTY_GROUP (error code 68): stop the group\'s consumers first (`clients stop all`)');
  else if (name === 'GROUP_ID_NOT_FOUND') env.out.hint('`kafka-consumer-groups --bootstrap-server localhost:9092 --list` lists the groups');
  else if (name === 'UNKNOWN_TOPIC_OR_PARTITION') env.out.hint('`kafka-topics --bootstrap-server localhost:9092 --list` lists the topics');
  return 1;
}
