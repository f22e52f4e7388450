/**
 * Topic name rules, as Kafka's Topic.validate enforces them: 1 to 249 characters from
 * [a-zA-Z0-9._-], and not "." or "..". Names that differ only by '.' versus '_' collide,
 * because they map to the same metric name.
 */
import { KafkaError } from '../errors';

export const MAX_TOPIC_NAME_LENGTH = 249;
const legal = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): KafkaError | null {
  const hint = 'Use only letters, digits, ".", "_" and "-", at most 249 characters.';
  if (name.length === 0) return new KafkaError('INVALID_TOPIC_EXCEPTION', 'Topic name is illegal, it can\'t be empty.', hint);
  if (name === '.' || name === '..') return new KafkaError('INVALID_TOPIC_EXCEPTION', 'Topic name cannot be "." or "..".', hint);
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}.`, hint);
  }
  if (!legal.test(name)) {
    return new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'.`, hint);
  }
  return null;
}

/** The metric-safe form of a name: '.' and '_' are the same character there. */
export function unifyCollisionChars(name: string): string {
  return name.replace(/\./g, '_');
}

export function isInternalTopic(name: string): boolean {
  return name === '__consumer_offsets' || name === '__transaction_state';
}
