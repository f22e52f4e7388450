/**
 * Option parsing that behaves like joptsimple, the library behind Kafka's command-line
 * tools, so that what works in a real Kafka terminal works here and fails the same way:
 * - `--flag value` and `--flag=value`; a single hyphen also introduces a long option;
 * - repeated options keep every value (`--config a=1 --config b=2`);
 * - a unique prefix is accepted (`--describ`); an exact name always wins (`--topic`
 *   over `--topic-id`);
 * - an option that requires an argument takes the next word even if it starts with a
 *   hyphen and is a number (`--time -1`), but not if it is another `--option`;
 * - `--` ends option parsing; other words are non-option arguments, in order.
 * Deviation: errors carry a suggestion ("Did you mean --topic?"), which joptsimple lacks.
 */
import { UsageError } from './errors';
import { closest } from './suggest';

export type OptionType = 'string' | 'integer' | 'long' | 'double';

export interface OptionDef {
  readonly name: string;
  readonly description: string;
  /** 'required': the option takes an argument; absent: it is a flag. */
  readonly arg?: 'required' | 'optional';
  /** Shown in usage as `<String: describedAs>`. */
  readonly describedAs?: string;
  readonly type?: OptionType;
  readonly defaultValue?: string;
  /** What completion offers for the argument. */
  readonly complete?: 'topic' | 'group' | 'broker' | 'node' | 'config' | readonly string[];
}

/** A mistake on the command line: a message in the tool's words and, maybe, what to type. */
export class OptionError extends UsageError {
  override name = 'OptionError';
}

export class ParsedOptions {
  constructor(
    private readonly defs: ReadonlyMap<string, OptionDef>,
    private readonly seen: ReadonlyMap<string, readonly string[]>,
    readonly nonOptions: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.seen.has(name);
  }

  /** The first value given, else the option's default. */
  value(name: string): string | undefined {
    return this.seen.get(name)?.[0] ?? this.defs.get(name)?.defaultValue;
  }

  values(name: string): readonly string[] {
    return this.seen.get(name) ?? [];
  }

  int(name: string): number | undefined {
    const raw = this.value(name);
    return raw === undefined ? undefined : Number(raw);
  }

  /** Names of the options that were given, in the order first seen. */
  given(): string[] {
    return [...this.seen.keys()];
  }
}

export function parseOptions(defs: readonly OptionDef[], argv: readonly string[]): ParsedOptions {
  const byName = new Map(defs.map((d) => [d.name, d] as const));
  const seen = new Map<string, string[]>();
  const nonOptions: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      nonOptions.push(...argv.slice(i + 1));
      break;
    }
    if (!isOptionWord(word)) {
      nonOptions.push(word);
      continue;
    }
    const body = word.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const typed = eq >= 0 ? body.slice(0, eq) : body;
    const def = resolve(typed, defs);
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (def.arg === undefined && value !== undefined) {
      throw new OptionError(`Option ${def.name} does not take an argument`, `write --${def.name} on its own`);
    }
    if (def.arg === 'required' && value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new OptionError(`Option ${def.name} requires an argument`, usageOf(def));
      }
      value = next;
      i++;
    } else if (def.arg === 'optional' && value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !isOptionWord(next)) {
        value = next;
        i++;
      }
    }
    if (value !== undefined) checkType(def, value);
    const list = seen.get(def.name) ?? [];
    if (value !== undefined) list.push(value);
    seen.set(def.name, list);
  }
  return new ParsedOptions(byName, seen, nonOptions);
}

/** `--x`, `-x`, but not `-`, `-1` or `-1.5`, which are values. */
function isOptionWord(word: string): boolean {
  if (word.startsWith('--')) return word.length > 2;
  return word.startsWith('-') && word.length > 1 && !/^-\d/.test(word);
}

function resolve(typed: string, defs: readonly OptionDef[]): OptionDef {
  const exact = defs.find((d) => d.name === typed);
  if (exact) return exact;
  const prefixed = defs.filter((d) => d.name.startsWith(typed));
  if (prefixed.length === 1 && typed.length > 0) return prefixed[0] as OptionDef;
  const names = defs.map((d) => d.name);
  const guess = prefixed.length > 1 ? undefined : closest(typed, names);
  const suggestion =
    prefixed.length > 1
      ? `it could be any of ${prefixed.map((d) => `--${d.name}`).join(', ')}`
      : guess
        ? `Did you mean --${guess}?`
        : undefined;
  throw new OptionError(`${typed} is not a recognized option`, suggestion);
}

function checkType(def: OptionDef, value: string): void {
  const type = def.type ?? 'string';
  if (type === 'string') return;
  const ok =
    type === 'double'
      ? value.trim() !== '' && Number.isFinite(Number(value))
      : /^-?\d+$/.test(value) && (type === 'long' || Math.abs(Number(value)) <= 2 ** 31 - 1);
  if (!ok) {
    throw new OptionError(`Cannot parse argument '${value}' of option ${def.name}`, `--${def.name} takes ${article(type)} ${type}`);
  }
}

function article(type: OptionType): string {
  return type === 'integer' ? 'an' : 'a';
}

function usageOf(def: OptionDef): string {
  return `write --${def.name} <${def.describedAs ?? 'value'}>`;
}

function typeLabel(type: OptionType | undefined): string {
  switch (type ?? 'string') {
    case 'integer':
      return 'Integer';
    case 'long':
      return 'Long';
    case 'double':
      return 'Double';
    default:
      return 'String';
  }
}

function argLabel(def: OptionDef): string {
  const inner = `${typeLabel(def.type)}${def.describedAs ? `: ${def.describedAs}` : ''}`;
  return def.arg === 'optional' ? `[${inner}]` : `<${inner}>`;
}

const LEFT_WIDTH = 38;
const RIGHT_WIDTH = 40;

/** The option table joptsimple prints for `--help`, sorted by name, wrapped at 80 columns. */
export function formatOptionTable(defs: readonly OptionDef[]): string {
  const lines = [pad('Option', LEFT_WIDTH) + ' Description', pad('------', LEFT_WIDTH) + ' -----------'];
  const sorted = [...defs].sort((a, b) => a.name.localeCompare(b.name));
  for (const def of sorted) {
    const left = wrap(`--${def.name}${def.arg ? ` ${argLabel(def)}` : ''}`, LEFT_WIDTH, '  ');
    const description = def.defaultValue !== undefined ? `${def.description} (default: ${def.defaultValue})` : def.description;
    const right = wrap(description, RIGHT_WIDTH, '  ');
    const rows = Math.max(left.length, right.length);
    for (let r = 0; r < rows; r++) {
      lines.push(`${pad(left[r] ?? '', LEFT_WIDTH)} ${right[r] ?? ''}`.trimEnd());
    }
  }
  return lines.join('\n') + '\n';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const prefix = out.length === 0 ? '' : indent;
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      out.push(prefix + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push((out.length === 0 ? '' : indent) + line);
  return out;
}
