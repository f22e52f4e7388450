/**
 * How the console tools turn text into records and records into text.
 * - `formatRecord` follows Kafka's DefaultMessageFormatter: optional
 *   `CreateTime:<ms>`, `Partition:<p>`, `Offset:<o>`, headers and key, each followed by
 *   key.separator (default tab), then the value and line.separator; null prints as
 *   null.literal ("null").
 * - `parseLine` follows the console producer's LineMessageReader for parse.key,
 *   key.separator, parse.headers and ignore.error.
 */
import { ShellError } from './errors';

export interface ConsoleRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly timestampType?: 'CreateTime' | 'LogAppendTime';
  readonly key: string | null;
  readonly value: string | null;
  readonly headers?: readonly (readonly [string, string | null])[];
}

export type Properties = Readonly<Record<string, string>>;

/** `--property a=b` values into a map; a value may itself contain '='. */
export function parseProperties(values: readonly string[], flag = 'property'): Record<string, string> {
  const props: Record<string, string> = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ShellError(`Invalid --${flag} '${entry}': expected key=value`, `for example --${flag} print.key=true`);
    props[entry.slice(0, eq).trim()] = unescape(entry.slice(eq + 1));
  }
  return props;
}

/** The shell passes `\t` as two characters; Kafka's users expect a tab, as in `key.separator=\t`. */
function unescape(value: string): string {
  return value.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

const flag = (props: Properties, name: string, fallback: boolean): boolean => (props[name] === undefined ? fallback : props[name].trim().toLowerCase() === 'true');

export function formatRecord(record: ConsoleRecord, props: Properties): string {
  const separator = props['key.separator'] ?? '\t';
  const lineSeparator = props['line.separator'] ?? '\n';
  const nullLiteral = props['null.literal'] ?? 'null';
  const parts: string[] = [];
  if (flag(props, 'print.timestamp', false)) parts.push(`${record.timestampType ?? 'CreateTime'}:${record.timestampMs}`);
  if (flag(props, 'print.partition', false)) parts.push(`Partition:${record.partition}`);
  if (flag(props, 'print.offset', false)) parts.push(`Offset:${record.offset}`);
  if (flag(props, 'print.headers', false)) {
    const headers = record.headers ?? [];
    parts.push(headers.length === 0 ? 'NO_HEADERS' : headers.map(([k, v]) => `${k}:${v ?? nullLiteral}`).join(props['headers.separator'] ?? ','));
  }
  if (flag(props, 'print.key', false)) parts.push(record.key ?? nullLiteral);
  const printValue = flag(props, 'print.value', true);
  if (printValue) parts.push(record.value ?? nullLiteral);
  if (parts.length === 0) return '';
  return printValue ? parts.join(separator) + lineSeparator : parts.join(separator) + separator;
}

export interface ParsedLine {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly (readonly [string, string | null])[];
}

/** One input line of kafka-console-producer into a record, or a Kafka-worded error. */
export function parseLine(line: string, lineNumber: number, props: Properties): ParsedLine {
  const nullMarker = props['null.marker'];
  const nulled = (text: string): string | null => (nullMarker !== undefined && text === nullMarker ? null : text);
  let rest = line;
  let headers: (readonly [string, string | null])[] = [];
  if (flag(props, 'parse.headers', false)) {
    const delimiter = props['headers.delimiter'] ?? '\t';
    const at = rest.indexOf(delimiter);
    if (at < 0) {
      if (!flag(props, 'ignore.error', false)) throw new ShellError(`No headers delimiter found on line number ${lineNumber}: '${line}'`, 'set --property headers.delimiter=<text> or write the headers first');
    } else {
      headers = parseHeaders(rest.slice(0, at), props);
      rest = rest.slice(at + delimiter.length);
    }
  }
  if (!flag(props, 'parse.key', false)) return { key: null, value: nulled(rest), headers };
  const separator = props['key.separator'] ?? '\t';
  const at = rest.indexOf(separator);
  if (at < 0) {
    if (flag(props, 'ignore.error', false)) return { key: null, value: nulled(rest), headers };
    throw new ShellError(`No key separator found on line number ${lineNumber}: '${line}'`, `write key${separator === '\t' ? '<TAB>' : separator}value, or drop --property parse.key=true`);
  }
  return { key: nulled(rest.slice(0, at)), value: nulled(rest.slice(at + separator.length)), headers };
}

function parseHeaders(text: string, props: Properties): (readonly [string, string | null])[] {
  const separator = props['headers.separator'] ?? ',';
  const keySeparator = props['headers.key.separator'] ?? ':';
  return text.split(separator).map((pair) => {
    const at = pair.indexOf(keySeparator);
    return at < 0 ? ([pair, null] as const) : ([pair.slice(0, at), pair.slice(at + keySeparator.length)] as const);
  });
}
