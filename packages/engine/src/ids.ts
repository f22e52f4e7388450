/**
 * Branded numbers so that one kind of id or offset cannot be passed for another.
 * Offsets are plain JavaScript numbers: exact up to 2^53, far beyond what a lab produces.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type NodeId = Brand<number, 'NodeId'>;
export type BrokerId = NodeId;
export type Offset = Brand<number, 'Offset'>;
export type Epoch = Brand<number, 'Epoch'>;
export type ProducerId = Brand<number, 'ProducerId'>;

export const nodeId = (n: number): NodeId => n as NodeId;
export const offset = (n: number): Offset => n as Offset;
export const epoch = (n: number): Epoch => n as Epoch;
export const producerId = (n: number): ProducerId => n as ProducerId;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
