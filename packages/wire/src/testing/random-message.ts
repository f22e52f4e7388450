/**
 * Builds a random but valid message for one schema and version: fields the version lacks hold
 * their defaults (exactly what decoding yields), nullable fields are sometimes null, strings
 * mix ASCII with multi-byte characters. Round-trip and fuzz tests start from these.
 */
import { defaultFor } from '../protocol/codec';
import { inRange, type FieldDef, type MessageSchema, type PrimitiveType } from '../protocol/schema';
import { uuidToString } from '../codec/uuid';
import type { Prng } from './prng';

const sampleChars = ['a', 'z', '0', '-', '_', '.', 'é', 'ß', '漢', '😀'];

function randomString(rng: Prng): string {
  let text = '';
  const length = rng.int(0, 8);
  for (let i = 0; i < length; i++) text += rng.pick(sampleChars);
  return text;
}

function randomInt64(rng: Prng): number {
  if (rng.chance(0.1)) return rng.pick([-1, 0, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
  const magnitude = rng.int(0, 2 ** 40);
  return rng.chance(0.5) ? -magnitude : magnitude;
}

function randomPrimitive(type: PrimitiveType, rng: Prng): unknown {
  switch (type) {
    case 'bool':
      return rng.chance(0.5);
    case 'int8':
      return rng.int(-0x80, 0x7f);
    case 'int16':
      return rng.int(-0x8000, 0x7fff);
    case 'uint16':
      return rng.int(0, 0xffff);
    case 'int32':
      return rng.int(-0x8000_0000, 0x7fff_ffff);
    case 'uint32':
      return rng.int(0, 0xffff_ffff);
    case 'int64':
      return randomInt64(rng);
    case 'float64':
      return (rng.next() - 0.5) * 1e6;
    case 'string':
      return randomString(rng);
    case 'bytes':
    case 'records':
      return rng.bytes(rng.int(0, 24));
    case 'uuid':
      return uuidToString(rng.bytes(16));
  }
}

function randomElement(def: FieldDef, version: number, rng: Prng): unknown {
  return def.kind === 'struct' ? randomStruct(def.fields, version, rng) : randomPrimitive(def.type, rng);
}

function randomField(def: FieldDef, version: number, rng: Prng): unknown {
  if (inRange(def.nullable, version) && rng.chance(0.2)) return null;
  if (!def.array) return randomElement(def, version, rng);
  const length = rng.int(0, 3);
  return Array.from({ length }, () => randomElement(def, version, rng));
}

export function randomStruct(fields: readonly FieldDef[], version: number, rng: Prng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of fields) {
    out[def.name] = inRange(def.versions, version) ? randomField(def, version, rng) : defaultFor(def);
  }
  return out;
}

/** Typed `unknown`: callers cast it to the message type of the API they drew it for. */
export function randomMessage(schema: MessageSchema, version: number, rng: Prng): unknown {
  return randomStruct(schema.fields, version, rng);
}
