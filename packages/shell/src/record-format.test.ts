import { describe, expect, it } from 'vitest';
import { formatRecord, parseLine, parseProperties, type ConsoleRecord } from './record-format';

const record: ConsoleRecord = { partition: 2, offset: 41, timestampMs: 1700000000123, key: 'k1', value: 'v1' };

describe('formatRecord', () => {
  it('prints only the value by default', () => {
    expect(formatRecord(record, {})).toBe('v1\n');
  });

  it('prints timestamp, partition, offset and key in Kafka order, tab separated', () => {
    const props = { 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.key': 'true' };
    expect(formatRecord(record, props)).toBe('CreateTime:1700000000123\tPartition:2\tOffset:41\tk1\tv1\n');
  });

  it('honours key.separator, null.literal, headers and print.value=false', () => {
    expect(formatRecord({ ...record, key: null }, { 'print.key': 'true', 'key.separator': ':' })).toBe('null:v1\n');
    expect(formatRecord(record, { 'print.headers': 'true' })).toBe('NO_HEADERS\tv1\n');
    expect(formatRecord({ ...record, headers: [['a', '1'], ['b', null]] }, { 'print.headers': 'true' })).toBe('a:1,b:null\tv1\n');
    expect(formatRecord(record, { 'print.key': 'true', 'print.value': 'false' })).toBe('k1\t');
  });
});

describe('parseLine', () => {
  it('takes the whole line as the value unless parse.key is set', () => {
    expect(parseLine('a:b', 1, {})).toEqual({ key: null, value: 'a:b', headers: [] });
  });

  it('splits key and value on the first key.separator', () => {
    expect(parseLine('k1:v:1', 1, { 'parse.key': 'true', 'key.separator': ':' })).toEqual({ key: 'k1', value: 'v:1', headers: [] });
    expect(parseLine('k1\tv1', 1, { 'parse.key': 'true' })).toEqual({ key: 'k1', value: 'v1', headers: [] });
  });

  it('fails like Kafka when the separator is missing, unless ignore.error', () => {
    expect(() => parseLine('novalue', 3, { 'parse.key': 'true', 'key.separator': ':' })).toThrow("No key separator found on line number 3: 'novalue'");
    expect(parseLine('novalue', 3, { 'parse.key': 'true', 'key.separator': ':', 'ignore.error': 'true' })).toEqual({ key: null, value: 'novalue', headers: [] });
  });

  it('reads headers before the key', () => {
    expect(parseLine('h1:x,h2:y\tk\tv', 1, { 'parse.headers': 'true', 'parse.key': 'true' })).toEqual({ key: 'k', value: 'v', headers: [['h1', 'x'], ['h2', 'y']] });
  });
});

describe('parseProperties', () => {
  it('splits on the first = and turns \\t into a tab', () => {
    expect(parseProperties(['key.separator=\\t', 'a=b=c'])).toEqual({ 'key.separator': '\t', a: 'b=c' });
    expect(() => parseProperties(['print.key'])).toThrow("Invalid --property 'print.key': expected key=value");
  });
});
