/**
 * The bytes a Kafka consumer puts in JoinGroup protocol metadata and SyncGroup assignments
 * (ConsumerProtocolSubscription v1 and ConsumerProtocolAssignment v0), so that the JSON
 * shapes learner code sends become what the group coordinator, `kafka-consumer-groups`
 * and the lab's built-in consumers read, and back.
 *
 *   Subscription v1: version i16 | topics [string] | userData nullable bytes | ownedPartitions [topic, [i32]]
 *   Assignment v0:   version i16 | assignedPartitions [topic, [i32]] | userData nullable bytes
 *
 * Arrays carry an i32 count, strings an i16 length, bytes an i32 length (-1 for null); user
 * data travels as UTF-8 text because learner code sends strings, never bytes. Decoders
 * accept later versions and ignore their trailing fields, as Kafka's do.
 */
import type { Assignment, Subscription, TopicPartition } from '@kil/client';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Writer {
  private readonly parts: number[] = [];

  int16(v: number): this {
    this.parts.push((v >> 8) & 0xff, v & 0xff);
    return this;
  }

  int32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  string(s: string): this {
    const bytes = encoder.encode(s);
    this.int16(bytes.length);
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  bytes(text: string | null | undefined): this {
    if (text === null || text === undefined) return this.int32(-1);
    const bytes = encoder.encode(text);
    this.int32(bytes.length);
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  topicPartitions(tps: readonly TopicPartition[]): this {
    const byTopic = new Map<string, number[]>();
    for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    this.int32(byTopic.size);
    for (const [topic, partitions] of byTopic) {
      this.string(topic).int32(partitions.length);
      for (const p of partitions) this.int32(p);
    }
    return this;
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

class Reader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('consumer protocol bytes end too early');
  }

  int16(): number {
    this.need(2);
    this.pos += 2;
    return this.view.getInt16(this.pos - 2);
  }

  int32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getInt32(this.pos - 4);
  }

  string(): string {
    const n = this.int16();
    if (n < 0) return '';
    this.need(n);
    this.pos += n;
    return decoder.decode(this.buf.subarray(this.pos - n, this.pos));
  }

  bytes(): string | null {
    const n = this.int32();
    if (n < 0) return null;
    this.need(n);
    this.pos += n;
    return decoder.decode(this.buf.subarray(this.pos - n, this.pos));
  }

  array<T>(item: () => T): T[] {
    const n = this.int32();
    if (n < 0) return [];
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }

  topicPartitions(): TopicPartition[] {
    return this.array(() => {
      const topic = this.string();
      return this.array(() => this.int32()).map((partition) => ({ topic, partition }));
    }).flat();
  }
}

export function encodeSubscription(s: Subscription): Uint8Array {
  const w = new Writer().int16(1).int32(s.topics.length);
  for (const t of s.topics) w.string(t);
  return w.bytes(s.userData).topicPartitions(s.ownedPartitions).done();
}

export function decodeSubscription(bytes: Uint8Array): Subscription {
  const r = new Reader(bytes);
  const version = r.int16();
  const topics = r.array(() => r.string());
  const userData = r.bytes();
  const ownedPartitions = version >= 1 && r.remaining > 0 ? r.topicPartitions() : [];
  return { topics, ownedPartitions, userData };
}

export function encodeAssignment(a: Assignment): Uint8Array {
  return new Writer().int16(0).topicPartitions(a.partitions).bytes(a.userData).done();
}

export function decodeAssignment(bytes: Uint8Array): Assignment {
  // A member the leader left out of its plan gets no bytes at all: an empty assignment.
  if (bytes.length === 0) return { partitions: [], userData: null };
  const r = new Reader(bytes);
  r.int16();
  const partitions = r.topicPartitions();
  return { partitions, userData: r.remaining > 0 ? r.bytes() : null };
}
