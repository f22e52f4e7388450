/**
 * Our schema language for Kafka messages. Each API file in `messages/` lists its request and
 * response fields with the versions they exist in, the versions in which they may be null, and
 * their tag when they travel in a flexible version's tagged-field section (KIP-482). One generic
 * walker (`codec.ts`) encodes and decodes every message from these lists.
 *
 * Version strings follow Kafka's notation: "3+" (3 and later), "0-2" (inclusive), "5" (only 5).
 */
import { assert } from '../errors';

export type PrimitiveType =
  'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64' | 'string' | 'bytes' | 'records' | 'uuid';

export type FieldType = PrimitiveType | `[]${PrimitiveType}`;

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export type DefaultValue = number | boolean | string | null;

export interface FieldOptions {
  /** Versions in which the field may be null (strings, bytes, records, arrays). */
  readonly nullable?: string;
  /** Value used when the version lacks the field or a tagged field is absent. */
  readonly default?: DefaultValue;
  /** Tag number; the field is tagged in every flexible version it exists in. */
  readonly tag?: number;
}

interface FieldBase {
  readonly name: string;
  readonly versions: VersionRange;
  readonly nullable: VersionRange | null;
  readonly tag: number | null;
  readonly array: boolean;
  readonly defaultValue: DefaultValue | undefined;
}

export interface ValueField extends FieldBase {
  readonly kind: 'value';
  readonly type: PrimitiveType;
}

export interface StructField extends FieldBase {
  readonly kind: 'struct';
  readonly fields: readonly FieldDef[];
}

export type FieldDef = ValueField | StructField;

export function parseVersions(text: string): VersionRange {
  const match = /^(\d+)(\+|-(\d+))?$/.exec(text);
  assert(match, `"${text}" is a version range such as "3+", "0-2" or "5"`);
  const min = Number(match[1]);
  if (match[2] === '+') return { min, max: Number.POSITIVE_INFINITY };
  const max = match[3] === undefined ? min : Number(match[3]);
  assert(min <= max, `version range "${text}" is not empty`);
  return { min, max };
}

export function inRange(range: VersionRange | null, version: number): boolean {
  return range !== null && version >= range.min && version <= range.max;
}

function base(name: string, versions: string, options: FieldOptions, array: boolean): FieldBase {
  return {
    name,
    versions: parseVersions(versions),
    nullable: options.nullable === undefined ? null : parseVersions(options.nullable),
    tag: options.tag ?? null,
    array,
    defaultValue: options.default,
  };
}

/** A primitive field or an array of primitives (`'[]int32'`). */
export function f(name: string, type: FieldType, versions: string, options: FieldOptions = {}): ValueField {
  const array = type.startsWith('[]');
  const element = (array ? type.slice(2) : type) as PrimitiveType;
  const field: ValueField = { ...base(name, versions, options, array), kind: 'value', type: element };
  assert(
    field.defaultValue !== null || field.nullable !== null,
    `${name}: a field whose default is null must be nullable somewhere`,
  );
  return field;
}

/** An array of structs. */
export function list(name: string, versions: string, fields: readonly FieldDef[], options: FieldOptions = {}): StructField {
  return { ...base(name, versions, options, true), kind: 'struct', fields };
}

/** A single (non-array) struct. */
export function struct(name: string, versions: string, fields: readonly FieldDef[], options: FieldOptions = {}): StructField {
  assert(options.nullable === undefined, `${name}: nullable single structs are not used by any API we serve`);
  return { ...base(name, versions, options, false), kind: 'struct', fields };
}

/** A request or response body: the top-level struct of one API in one direction. */
export interface MessageSchema {
  readonly fields: readonly FieldDef[];
}

/**
 * One API: its key, the versions we serve, where flexible versions start, and both bodies.
 * `Req` and `Res` are phantom types that tie the schema to its TypeScript interfaces.
 */
export interface ApiDef<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version, or Infinity when no served version is flexible. */
  readonly flexibleFrom: number;
  readonly request: MessageSchema;
  readonly response: MessageSchema;
  /** Never set: carries the message types for inference. */
  readonly types?: { request: Req; response: Res };
}

export interface ApiSpec {
  readonly apiKey: number;
  readonly name: string;
  readonly versions: string;
  readonly flexibleVersions: string | null;
  readonly request: readonly FieldDef[];
  readonly response: readonly FieldDef[];
}

export function defineApi<Req, Res>(spec: ApiSpec): ApiDef<Req, Res> {
  const versions = parseVersions(spec.versions);
  const flexible = spec.flexibleVersions === null ? null : parseVersions(spec.flexibleVersions);
  assert(flexible === null || flexible.max === Number.POSITIVE_INFINITY, `${spec.name}: flexible versions are open-ended`);
  return {
    apiKey: spec.apiKey,
    name: spec.name,
    minVersion: versions.min,
    maxVersion: versions.max,
    flexibleFrom: flexible === null ? Number.POSITIVE_INFINITY : flexible.min,
    request: { fields: spec.request },
    response: { fields: spec.response },
  };
}
