/**
 * The bytes a Kafka consumer puts in JoinGroup protocol metadata and SyncGroup assignments
 * (Kafka's ConsumerProtocolSubscription / ConsumerProtocolAssignment), so that the lab's
 * built-in consumers and real clients can sit in the same group.
 *
 *   Subscription: version i16 | topics [string] | userData nullable bytes
 *                 | ownedPartitions [topic string, partitions [i32]] (v1+)
 *                 | generationId i32 (v2+) | rackId nullable string (v3+)
 *   Assignment:   version i16 | assignedPartitions [topic string, partitions [i32]] | userData nullable bytes
 *
 * Arrays carry an i32 count, strings an i16 length, bytes an i32 length (-1 = null): the
 * classic, non-flexible encoding. Decoders accept any version and ignore trailing fields of
 * newer versions, as Kafka's do.
 */
import { KafkaError } from '../errors';
import type { TopicPartitions } from '../group/records';

export const SUBSCRIPTION_VERSION = 3;
export const ASSIGNMENT_VERSION = 3;

export interface Subscription {
  readonly topics: readonly string[];
  readonly userData: Uint8Array | null;
  readonly ownedPartitions: TopicPartitions;
  /** -1 when unknown (versions below 2). */
  readonly generationId: number;
  readonly rackId: string | null;
}

export interface Assignment {
  readonly partitions: TopicPartitions;
  readonly userData: Uint8Array | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A growable big-endian writer for the classic encoding. */
export class Writer {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  int16(v: number): this {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }
  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = encoder.encode(s);
    this.int16(b.length);
    return this.raw(b);
  }
  bytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  topicPartitions(tps: TopicPartitions): this {
    this.int32(tps.length);
    for (const tp of tps) {
      this.string(tp.topic);
      this.int32(tp.partitions.length);
      for (const p of tp.partitions) this.int32(p);
    }
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class Reader {
  private readonly view: DataView;
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new KafkaError('INVALID_REQUEST', 'Consumer protocol bytes end too early.', 'The member sent truncated subscription or assignment bytes.');
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  int16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    this.need(n);
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  bytes(): Uint8Array | null {
    const n = this.int32();
    if (n < 0) return null;
    this.need(n);
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  array<T>(item: () => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
  topicPartitions(): TopicPartitions {
    return this.array(() => ({ topic: this.string() ?? '', partitions: this.array(() => this.int32()) }));
  }
}

export function encodeSubscription(s: Subscription, version = SUBSCRIPTION_VERSION): Uint8Array {
  const w = new Writer().int16(version).int32(s.topics.length);
  for (const t of s.topics) w.string(t);
  w.bytes(s.userData);
  if (version >= 1) w.topicPartitions(s.ownedPartitions);
  if (version >= 2) w.int32(s.generationId);
  if (version >= 3) w.string(s.rackId);
  return w.done();
}

export function decodeSubscription(bytes: Uint8Array): Subscription & { version: number } {
  const r = new Reader(bytes);
  const version = r.int16();
  const topics = r.array(() => r.string() ?? '');
  const userData = r.bytes();
  const ownedPartitions = version >= 1 && r.remaining > 0 ? r.topicPartitions() : [];
  const generationId = version >= 2 && r.remaining > 0 ? r.int32() : -1;
  const rackId = version >= 3 && r.remaining > 0 ? r.string() : null;
  return { version, topics, userData, ownedPartitions, generationId, rackId };
}

export function encodeAssignment(a: Assignment, version = ASSIGNMENT_VERSION): Uint8Array {
  return new Writer().int16(version).topicPartitions(a.partitions).bytes(a.userData).done();
}

export function decodeAssignment(bytes: Uint8Array): Assignment & { version: number } {
  // An empty assignment (a member the leader did not mention) has no bytes at all.
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  const r = new Reader(bytes);
  const version = r.int16();
  return { version, partitions: r.topicPartitions(), userData: r.bytes() };
}
