import { describe, expect, it } from 'vitest';
import { formatOptionTable, OptionError, parseOptions, type OptionDef } from './args';

const defs: OptionDef[] = [
  { name: 'bootstrap-server', description: 'REQUIRED: The Kafka server to connect to.', arg: 'required', describedAs: 'server to connect to' },
  { name: 'topic', description: 'The topic.', arg: 'required' },
  { name: 'topic-id', description: 'The topic id.', arg: 'required' },
  { name: 'describe', description: 'Describe.' },
  { name: 'delete', description: 'Delete.' },
  { name: 'config', description: 'A config.', arg: 'required' },
  { name: 'partitions', description: 'Partitions.', arg: 'required', type: 'integer' },
  { name: 'time', description: 'Time.', arg: 'required', type: 'long' },
];

function failure(argv: string[]): OptionError {
  try {
    parseOptions(defs, argv);
  } catch (error) {
    if (error instanceof OptionError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

describe('parseOptions', () => {
  it('reads --flag value and --flag=value', () => {
    const opts = parseOptions(defs, ['--topic', 'orders', '--bootstrap-server=localhost:9092', '--describe']);
    expect(opts.value('topic')).toBe('orders');
    expect(opts.value('bootstrap-server')).toBe('localhost:9092');
    expect(opts.has('describe')).toBe(true);
    expect(opts.has('delete')).toBe(false);
  });

  it('keeps every value of a repeated option, in order', () => {
    const opts = parseOptions(defs, ['--config', 'a=1', '--config=b=2']);
    expect(opts.values('config')).toEqual(['a=1', 'b=2']);
  });

  it('prefers an exact name over a longer one and accepts unique prefixes', () => {
    expect(parseOptions(defs, ['--topic', 'x']).has('topic-id')).toBe(false);
    expect(parseOptions(defs, ['--descr', '--bootstrap', 'h:1']).has('describe')).toBe(true);
    expect(parseOptions(defs, ['-describe']).has('describe')).toBe(true);
  });

  it('takes a negative number as an argument', () => {
    expect(parseOptions(defs, ['--time', '-1']).int('time')).toBe(-1);
  });

  it('collects non-option words and everything after --', () => {
    const opts = parseOptions(defs, ['describe', '--describe', '--', '--topic']);
    expect(opts.nonOptions).toEqual(['describe', '--topic']);
  });

  it('names an unknown option and suggests the closest known one', () => {
    const error = failure(['--topik', 'orders']);
    expect(error.message).toBe('topik is not a recognized option');
    expect(error.suggestion).toBe('Did you mean --topic?');
  });

  it('lists the candidates of an ambiguous prefix', () => {
    const error = failure(['--de']);
    expect(error.message).toBe('de is not a recognized option');
    expect(error.suggestion).toContain('--describe');
    expect(error.suggestion).toContain('--delete');
  });

  it('requires an argument where the option takes one', () => {
    expect(failure(['--topic']).message).toBe('Option topic requires an argument');
    expect(failure(['--topic', '--describe']).message).toBe('Option topic requires an argument');
  });

  it('refuses a value on a flag and a non-number for a number option', () => {
    expect(failure(['--describe=yes']).message).toBe('Option describe does not take an argument');
    expect(failure(['--partitions', 'three']).message).toBe("Cannot parse argument 'three' of option partitions");
    expect(failure(['--partitions', '99999999999']).message).toContain('Cannot parse');
  });
});

describe('formatOptionTable', () => {
  it('prints a sorted two-column table with argument labels', () => {
    const table = formatOptionTable(defs);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^Option\s+Description$/);
    expect(lines[1]).toMatch(/^------\s+-----------$/);
    expect(table.indexOf('--bootstrap-server')).toBeLessThan(table.indexOf('--config'));
    expect(table).toContain('<String: server to');
    expect(table).toContain('--partitions <Integer>');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });
});
