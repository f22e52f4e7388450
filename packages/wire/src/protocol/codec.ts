/**
 * The generic encoder and decoder: they walk a message schema for one version. For each
 * (struct, version) pair a plan is compiled once and cached: which fields are written in order,
 * which travel as tagged fields, and which the version lacks (decoded as their defaults, so a
 * handler sees the same shape whatever version the client spoke).
 *
 * Deviation from Kafka: encoding silently drops fields the version lacks instead of failing
 * when they hold a non-default value. Unknown tagged fields are skipped, not preserved.
 */
import { WireEncodeError, assert } from '../errors';
import type { WireReader } from '../codec/reader';
import { WireWriter } from '../codec/writer';
import { ZERO_UUID } from '../codec/uuid';
import { inRange, type FieldDef, type MessageSchema } from './schema';

type Struct = Record<string, unknown>;

interface FieldPlan {
  readonly def: FieldDef;
  readonly name: string;
  readonly nullable: boolean;
  readonly flexible: boolean;
  readonly sub: StructPlan | null;
}

interface StructPlan {
  readonly flexible: boolean;
  readonly regular: readonly FieldPlan[];
  /** Sorted by tag, the order in which Kafka writes them. */
  readonly tagged: readonly FieldPlan[];
  readonly byTag: ReadonlyMap<number, FieldPlan>;
  readonly absent: readonly FieldDef[];
}

const plans = new WeakMap<readonly FieldDef[], Map<number, StructPlan>>();

function planFor(fields: readonly FieldDef[], version: number, flexible: boolean): StructPlan {
  let byVersion = plans.get(fields);
  if (byVersion === undefined) {
    byVersion = new Map();
    plans.set(fields, byVersion);
  }
  const key = version * 2 + (flexible ? 1 : 0);
  let plan = byVersion.get(key);
  if (plan === undefined) {
    plan = compile(fields, version, flexible);
    byVersion.set(key, plan);
  }
  return plan;
}

function compile(fields: readonly FieldDef[], version: number, flexible: boolean): StructPlan {
  const regular: FieldPlan[] = [];
  const tagged: FieldPlan[] = [];
  const absent: FieldDef[] = [];
  for (const def of fields) {
    if (!inRange(def.versions, version)) {
      absent.push(def);
      continue;
    }
    const sub = def.kind === 'struct' ? planFor(def.fields, version, flexible) : null;
    const plan: FieldPlan = { def, name: def.name, nullable: inRange(def.nullable, version), flexible, sub };
    if (def.tag === null) {
      regular.push(plan);
    } else {
      assert(flexible, `${def.name}: tagged fields exist only in flexible versions`);
      tagged.push(plan);
    }
  }
  tagged.sort((a, b) => (a.def.tag as number) - (b.def.tag as number));
  const byTag = new Map(tagged.map((plan) => [plan.def.tag as number, plan]));
  return { flexible, regular, tagged, byTag, absent };
}

/** The value a field takes when the version lacks it or its tag is absent. */
export function defaultFor(def: FieldDef): unknown {
  if (def.array) return def.defaultValue === null ? null : [];
  if (def.kind === 'struct') return defaultStruct(def.fields);
  if (def.defaultValue !== undefined) return def.defaultValue;
  switch (def.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    default:
      return 0;
  }
}

function defaultStruct(fields: readonly FieldDef[]): Struct {
  const out: Struct = {};
  for (const def of fields) out[def.name] = defaultFor(def);
  return out;
}

/** A message with every field at its default; handlers start from this and fill in what they know. */
export function defaultMessage(schema: MessageSchema): Struct {
  return defaultStruct(schema.fields);
}

// ---------------------------------------------------------------------------------------------
// Decoding

export function decodeMessage(schema: MessageSchema, version: number, flexible: boolean, reader: WireReader): Struct {
  return decodeStruct(reader, planFor(schema.fields, version, flexible));
}

function decodeStruct(reader: WireReader, plan: StructPlan): Struct {
  const out: Struct = {};
  for (const field of plan.regular) out[field.name] = decodeField(reader, field);
  for (const field of plan.tagged) out[field.name] = defaultFor(field.def);
  for (const def of plan.absent) out[def.name] = defaultFor(def);
  if (plan.flexible) decodeTaggedFields(reader, plan, out);
  return out;
}

function decodeTaggedFields(reader: WireReader, plan: StructPlan, out: Struct): void {
  const count = reader.unsignedVarint();
  for (let i = 0; i < count; i++) {
    const tag = reader.unsignedVarint();
    const size = reader.unsignedVarint();
    const body = reader.sub(size);
    const field = plan.byTag.get(tag);
    if (field !== undefined) out[field.name] = decodeField(body, field);
  }
}

function decodeField(reader: WireReader, field: FieldPlan): unknown {
  if (!field.def.array) return decodeElement(reader, field, field.nullable);
  const count = reader.arrayLength(field.flexible, field.nullable);
  if (count < 0) return null;
  const items: unknown[] = new Array<unknown>(count);
  for (let i = 0; i < count; i++) items[i] = decodeElement(reader, field, false);
  return items;
}

function decodeElement(reader: WireReader, field: FieldPlan, nullable: boolean): unknown {
  const def = field.def;
  if (def.kind === 'struct') return decodeStruct(reader, field.sub as StructPlan);
  switch (def.type) {
    case 'bool':
      return reader.bool();
    case 'int8':
      return reader.int8();
    case 'int16':
      return reader.int16();
    case 'uint16':
      return reader.uint16();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return reader.int64();
    case 'float64':
      return reader.float64();
    case 'uuid':
      return reader.uuid();
    case 'string':
      return field.flexible ? reader.compactString(nullable) : reader.string(nullable);
    case 'bytes':
    case 'records':
      return field.flexible ? reader.compactBytes(nullable) : reader.bytesField(nullable);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeMessage(
  schema: MessageSchema,
  version: number,
  flexible: boolean,
  value: unknown,
  writer: WireWriter,
): void {
  encodeStruct(writer, planFor(schema.fields, version, flexible), value, 'message');
}

function encodeStruct(writer: WireWriter, plan: StructPlan, value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) throw new WireEncodeError(`${path} must be an object`);
  const struct = value as Struct;
  for (const field of plan.regular) encodeField(writer, field, struct[field.name], `${path}.${field.name}`);
  if (plan.flexible) encodeTaggedFields(writer, plan, struct, path);
}

/** Tagged fields are written only when they differ from their default, as Kafka does. */
function encodeTaggedFields(writer: WireWriter, plan: StructPlan, struct: Struct, path: string): void {
  const present = plan.tagged.filter((field) => !isDefault(field, struct[field.name]));
  writer.unsignedVarint(present.length);
  for (const field of present) {
    const body = new WireWriter(64);
    encodeField(body, field, struct[field.name], `${path}.${field.name}`);
    const bytes = body.finish();
    writer.unsignedVarint(field.def.tag as number);
    writer.unsignedVarint(bytes.length);
    writer.raw(bytes);
  }
}

function isDefault(field: FieldPlan, value: unknown): boolean {
  const def = field.def;
  if (value === undefined) return true;
  if (def.array) return def.defaultValue === null ? value === null : Array.isArray(value) && value.length === 0;
  if (def.kind === 'struct') {
    if (typeof value !== 'object' || value === null) return false;
    const sub = field.sub as StructPlan;
    const struct = value as Struct;
    return [...sub.regular, ...sub.tagged].every((inner) => isDefault(inner, struct[inner.name]));
  }
  const fallback = defaultFor(def);
  if (fallback instanceof Uint8Array) return value instanceof Uint8Array && value.length === 0;
  return value === fallback;
}

function encodeField(writer: WireWriter, field: FieldPlan, value: unknown, path: string): void {
  const actual = value === undefined ? defaultFor(field.def) : value;
  if (!field.def.array) {
    encodeElement(writer, field, actual, field.nullable, path);
    return;
  }
  if (actual === null) {
    if (!field.nullable) throw new WireEncodeError(`${path} is null but the version has no null array`);
    writer.arrayLength(null, field.flexible);
    return;
  }
  if (!Array.isArray(actual)) throw new WireEncodeError(`${path} must be an array`);
  writer.arrayLength(actual.length, field.flexible);
  for (const item of actual) encodeElement(writer, field, item, false, path);
}

function encodeElement(writer: WireWriter, field: FieldPlan, value: unknown, nullable: boolean, path: string): void {
  const def = field.def;
  if (def.kind === 'struct') {
    encodeStruct(writer, field.sub as StructPlan, value, path);
    return;
  }
  if (value === null && !nullable) throw new WireEncodeError(`${path} is null but the version has no null here`);
  switch (def.type) {
    case 'bool':
      if (typeof value !== 'boolean') throw new WireEncodeError(`${path} must be a boolean`);
      return writer.bool(value);
    case 'int8':
      return writer.int8(value as number);
    case 'int16':
      return writer.int16(value as number);
    case 'uint16':
      return writer.uint16(value as number);
    case 'int32':
      return writer.int32(value as number);
    case 'uint32':
      return writer.uint32(value as number);
    case 'int64':
      return writer.int64(value as number);
    case 'float64':
      if (typeof value !== 'number') throw new WireEncodeError(`${path} must be a number`);
      return writer.float64(value);
    case 'uuid':
      if (typeof value !== 'string') throw new WireEncodeError(`${path} must be a Uuid string`);
      return writer.uuid(value);
    case 'string':
      if (value !== null && typeof value !== 'string') throw new WireEncodeError(`${path} must be a string`);
      return writer.string(value, field.flexible);
    case 'bytes':
    case 'records':
      if (value !== null && !(value instanceof Uint8Array)) throw new WireEncodeError(`${path} must be a Uint8Array`);
      return writer.bytesField(value, field.flexible);
  }
}
