import { describe, expect, it } from 'vitest';
import { highlight, normaliseLanguage, type Token, type TokenKind } from './highlight';

/** The tokens of one kind, as text, in order. */
function of(tokens: readonly Token[], kind: TokenKind): string[] {
  return tokens.filter((t) => t.kind === kind).map((t) => t.text);
}

const samples: Record<string, string> = {
  json: '{\n  "topic": "orders",\n  "partitions": [0, 1],\n  "compacted": true,\n  "retention": null\n}',
  ts: "// create a producer\nconst producer = kafka.producer({ idempotent: true, acks: -1 });\nawait producer.send(`orders-${n}`, 'x');",
  sh: 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders | grep "orders" # check it\nexport N=$PARTITIONS',
  console: '$ kafka-topics --list \\\n    --bootstrap-server localhost:9092\norders\n__consumer_offsets',
  properties: '# broker settings\nmin.insync.replicas=2\nlog.cleanup.policy: compact\n! old comment',
  yaml: 'topics:\n  - name: orders # the main one\n    partitions: 3\n    compacted: false\n    owner: "payments"',
};

describe('highlight', () => {
  it('gives back exactly the code it was given, in every language', () => {
    for (const [lang, code] of Object.entries(samples)) {
      expect(highlight(code, lang).map((t) => t.text).join(''), lang).toBe(code);
    }
    expect(highlight('plain words', 'klingon').map((t) => t.text).join('')).toBe('plain words');
  });

  it('tells JSON keys from string values and finds numbers and literals', () => {
    const tokens = highlight(samples.json!, 'json');
    expect(of(tokens, 'key')).toEqual(['"topic"', '"partitions"', '"compacted"', '"retention"']);
    expect(of(tokens, 'str')).toEqual(['"orders"']);
    expect(of(tokens, 'num')).toEqual(['0', '1']);
    expect(of(tokens, 'lit')).toEqual(['true', 'null']);
  });

  it('colours TypeScript comments, keywords, strings and numbers but not identifiers', () => {
    const tokens = highlight(samples.ts!, 'typescript');
    expect(of(tokens, 'com')).toEqual(['// create a producer']);
    expect(of(tokens, 'kw')).toEqual(['const', 'await']);
    expect(of(tokens, 'lit')).toEqual(['true']);
    expect(of(tokens, 'num')).toEqual(['1']);
    expect(of(tokens, 'str')).toEqual(['`orders-${n}`', "'x'"]);
    expect(tokens.some((t) => t.kind !== null && t.text.includes('producer') && t.kind !== 'com')).toBe(false);
  });

  it('marks shell commands after pipes and newlines, options, strings, variables and comments', () => {
    const tokens = highlight(samples.sh!, 'bash');
    expect(of(tokens, 'cmd')).toEqual(['kafka-topics', 'grep', 'export']);
    expect(of(tokens, 'flag')).toEqual(['--bootstrap-server', '--create', '--topic']);
    expect(of(tokens, 'str')).toEqual(['"orders"']);
    expect(of(tokens, 'com')).toEqual(['# check it']);
    expect(of(tokens, 'var')).toEqual(['$PARTITIONS']);
  });

  it('splits a console session into prompts, commands (with continuation lines) and output', () => {
    const tokens = highlight(samples.console!, 'console');
    expect(of(tokens, 'prompt')).toEqual(['$ ']);
    expect(of(tokens, 'cmd')).toEqual(['kafka-topics']);
    expect(of(tokens, 'flag')).toEqual(['--list', '--bootstrap-server']);
    expect(of(tokens, 'out')).toEqual(['orders', '__consumer_offsets']);
  });

  it('reads properties files with either separator and both comment marks', () => {
    const tokens = highlight(samples.properties!, 'properties');
    expect(of(tokens, 'com')).toEqual(['# broker settings', '! old comment']);
    expect(of(tokens, 'key')).toEqual(['min.insync.replicas', 'log.cleanup.policy']);
    expect(of(tokens, 'str')).toEqual(['2', 'compact']);
  });

  it('reads YAML keys, scalars, list dashes and trailing comments', () => {
    const tokens = highlight(samples.yaml!, 'yml');
    expect(of(tokens, 'key')).toEqual(['topics', 'name', 'partitions', 'compacted', 'owner']);
    expect(of(tokens, 'num')).toEqual(['3']);
    expect(of(tokens, 'lit')).toEqual(['false']);
    expect(of(tokens, 'str')).toEqual(['orders', '"payments"']);
    expect(of(tokens, 'com')).toEqual(['# the main one']);
    expect(of(tokens, 'punct')).toContain('- ');
  });

  it('shows unknown and missing languages as one plain token', () => {
    expect(normaliseLanguage(undefined)).toBe('text');
    expect(normaliseLanguage('SH')).toBe('shell');
    expect(highlight('a = "b"', undefined)).toEqual([{ text: 'a = "b"', kind: null }]);
    expect(highlight('', 'json')).toEqual([]);
  });
});
