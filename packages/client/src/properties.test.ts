import { describe, expect, it } from 'vitest';
import { Kafka } from './index';
import {
  clientDefaultsFrom, closestKey, consumerConfigFromProperties, parseProperties, producerConfigFromProperties, topicConfigsFrom,
  type PropertyFile,
} from './properties';
import { KafkaClientError, type ClientOp, type Transport } from './protocol';

const entries = (text: string) => parseProperties(text);

/** The error a call throws, as code and message. */
function thrown(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    if (error instanceof KafkaClientError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a KafkaClientError');
}

describe('parseProperties', () => {
  it('reads key=value, key: value and key value lines, skipping comments and blank lines', () => {
    const parsed = parseProperties('# comment\n! also a comment\n\nacks=all\n  isolation.level : read_committed\ngroup.id  auditors  \n');
    expect(parsed).toEqual([
      { key: 'acks', value: 'all', line: 4 },
      { key: 'isolation.level', value: 'read_committed', line: 5 },
      { key: 'group.id', value: 'auditors', line: 6 },
    ]);
  });

  it('joins continued lines, unescapes, and lets a later duplicate win', () => {
    const parsed = parseProperties('partition.assignment.strategy=range,\\\n    cooperative-sticky\nkey\\=with\\:sep=v\\u0041\nacks=1\nacks=all');
    expect(parsed).toEqual([
      { key: 'partition.assignment.strategy', value: 'range,cooperative-sticky', line: 1 },
      { key: 'key=with:sep', value: 'vA', line: 3 },
      { key: 'acks', value: 'all', line: 5 },
    ]);
  });

  it('gives an empty value to a key alone on its line', () => {
    expect(parseProperties('transactional.id')).toEqual([{ key: 'transactional.id', value: '', line: 1 }]);
  });
});

describe('producer.properties', () => {
  it("maps Kafka's keys onto the client's options", () => {
    expect(producerConfigFromProperties(entries('acks=-1\nenable.idempotence=true\ntransactional.id=ledger-writer\ntransaction.timeout.ms=900000'))).toEqual({
      acks: 'all', enableIdempotence: true, transactionalId: 'ledger-writer', transactionTimeoutMs: 900_000,
    });
    expect(producerConfigFromProperties(entries('acks=1\nlinger.ms=5'))).toEqual({ acks: 1 });
    expect(producerConfigFromProperties(entries('acks=0'))).toEqual({ acks: 0 });
  });

  it('names an unknown key, the file, the line and the closest valid key', () => {
    expect(thrown(() => producerConfigFromProperties(entries('# mine\nack=all')))).toEqual({
      code: 'INVALID_CONFIG',
      message: 'INVALID_CONFIG: producer.properties line 2: ack is not a producer config. Did you mean acks? (write acks=all)',
    });
  });

  it("rejects invalid values with Kafka's wording", () => {
    expect(thrown(() => producerConfigFromProperties(entries('acks=2'))).message).toContain('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
    expect(thrown(() => producerConfigFromProperties(entries('enable.idempotence=yes'))).message).toContain('Expected value to be either true or false');
    expect(thrown(() => producerConfigFromProperties(entries('transaction.timeout.ms=soon'))).message).toContain('Not a number of type INT');
  });

  it("refuses Kafka's invalid combinations (KIP-679, KIP-98)", () => {
    expect(thrown(() => producerConfigFromProperties(entries('acks=1\nenable.idempotence=true'))).message).toContain('Must set acks to all in order to use the idempotent producer');
    expect(thrown(() => producerConfigFromProperties(entries('transactional.id=t\nenable.idempotence=false'))).message).toContain('Cannot set a transactional.id without also enabling idempotence');
  });
});

describe('consumer.properties', () => {
  it("maps Kafka's keys, including assignor class names, onto the client's options", () => {
    const config = consumerConfigFromProperties(
      entries(
        'group.id=clicks-static\ngroup.instance.id=reader-b\nisolation.level=read_committed\nauto.offset.reset=earliest\n' +
          'partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor, range\nsession.timeout.ms=30000\nmax.poll.records=10',
      ),
    );
    expect(config).toEqual({
      groupId: 'clicks-static', groupInstanceId: 'reader-b', isolationLevel: 'read_committed', autoOffsetReset: 'earliest',
      partitionAssignmentStrategy: ['cooperative-sticky', 'range'], sessionTimeoutMs: 30_000, maxPollRecords: 10,
    });
  });

  it('points a misspelt key at the right one', () => {
    expect(thrown(() => consumerConfigFromProperties(entries('isolation.levle=read_committed'))).message).toContain('isolation.levle is not a consumer config. Did you mean isolation.level?');
  });

  it('rejects values Kafka rejects, and says what the lab does not support', () => {
    expect(thrown(() => consumerConfigFromProperties(entries('isolation.level=committed'))).message).toContain(
      'Invalid value committed for configuration isolation.level: String must be one of: read_committed, read_uncommitted',
    );
    expect(thrown(() => consumerConfigFromProperties(entries('partition.assignment.strategy=rnage'))).message).toContain('Class rnage cannot be found. Did you mean range?');
    expect(thrown(() => consumerConfigFromProperties(entries('auto.offset.reset=none'))).message).toContain('does not support it');
    expect(thrown(() => consumerConfigFromProperties(entries('max.poll.records=0'))).message).toContain('Value must be at least 1');
  });
});

describe('topic properties', () => {
  it('checks keys against Kafka topic configs and leaves values to the broker', () => {
    const files: PropertyFile[] = [{ file: 'ledger.properties', kind: 'topic', topic: 'ledger', text: 'min.insync.replicas=2\nretention.ms=-1' }];
    expect(topicConfigsFrom(files)).toEqual([{ topic: 'ledger', file: 'ledger.properties', configs: { 'min.insync.replicas': '2', 'retention.ms': '-1' } }]);
    expect(thrown(() => topicConfigsFrom([{ ...files[0]!, text: 'min.isr=2' }])).message).toContain('min.isr is not a topic config. Did you mean min.insync.replicas?');
  });

  it('finds the closest key by edit distance', () => {
    expect(closestKey('retention.msec', ['retention.ms', 'retention.bytes'])).toBe('retention.ms');
    expect(closestKey('min.isr', ['flush.ms', 'min.insync.replicas', 'min.compaction.lag.ms'])).toBe('min.insync.replicas');
    expect(closestKey('x', [])).toBeNull();
  });
});

/** Records requests; answers alterConfigs as the broker would for min.insync.replicas. */
function broker(): Transport & { calls: [ClientOp, Readonly<Record<string, unknown>>][] } {
  const calls: [ClientOp, Readonly<Record<string, unknown>>][] = [];
  return {
    calls,
    async request(op, args) {
      calls.push([op, args]);
      const set = (args.set ?? {}) as Record<string, string>;
      if (op === 'alterConfigs' && Number(set['min.insync.replicas']) < 1) {
        throw new KafkaClientError({ code: 'INVALID_CONFIG', message: `Invalid value ${set['min.insync.replicas']} for configuration min.insync.replicas: Value must be at least 1.` });
      }
      if (op === 'initProducerId') return { producerId: 7, producerEpoch: 0 };
      if (op === 'produce') return { baseOffset: 0 };
      if (op === 'listOffsets') return { offset: 0 };
      if (op === 'fetch') return { partitions: [] };
      if (op === 'offsetFetch') return { offsets: [] };
      return {};
    },
  };
}

describe('Kafka.withProperties', () => {
  const files = (consumer: string, topic = 'min.insync.replicas=2'): PropertyFile[] => [
    { file: 'producer.properties', kind: 'producer', text: 'acks=1\nenable.idempotence=false' },
    { file: 'consumer.properties', kind: 'consumer', text: consumer },
    { file: 'ledger.properties', kind: 'topic', topic: 'ledger', text: topic },
  ];

  it('alters the topic, and producers and consumers start from the files (code wins)', async () => {
    const transport = broker();
    const notes: string[] = [];
    const kafka = await new Kafka(transport).withProperties(files('group.id=auditors\nisolation.level=read_committed\nenable.auto.commit=false'), (...v) => notes.push(v.join(' ')));
    expect(transport.calls).toEqual([['alterConfigs', { topic: 'ledger', set: { 'min.insync.replicas': '2' }, delete: [] }]]);
    expect(notes).toEqual(["note: consumer.properties: enable.auto.commit has no effect in the lab's client"]);
    expect(kafka.consumer().groupMetadata().groupId).toBe('auditors');
    expect(kafka.consumer({ groupId: 'mine' }).groupMetadata().groupId).toBe('mine');

    const consumer = kafka.consumer();
    consumer.assign([{ topic: 'ledger', partition: 0 }]);
    await consumer.poll(10);
    expect(transport.calls.find(([op]) => op === 'fetch')?.[1]).toMatchObject({ isolationLevel: 'read_committed' });
    await kafka.producer().send({ topic: 'ledger', partition: 0, value: 'x' });
    // acks=1 with idempotence off: no producer id is asked for and the produce carries acks 1.
    expect(transport.calls.filter(([op]) => op === 'initProducerId')).toEqual([]);
    expect(transport.calls.find(([op]) => op === 'produce')?.[1]).toMatchObject({ acks: 1 });
  });

  it('applies nothing when any file is wrong', async () => {
    const transport = broker();
    await expect(new Kafka(transport).withProperties(files('isolation.levle=read_committed'))).rejects.toThrow('Did you mean isolation.level?');
    expect(transport.calls).toEqual([]);
  });

  it("passes the broker's INVALID_CONFIG on, naming the file", async () => {
    await expect(new Kafka(broker()).withProperties(files('', 'min.insync.replicas=0'))).rejects.toThrow(
      'INVALID_CONFIG: ledger.properties (topic ledger): Invalid value 0 for configuration min.insync.replicas: Value must be at least 1.',
    );
  });

  it('keeps its defaults on kafka.cluster(...)', async () => {
    const kafka = new Kafka(broker(), clientDefaultsFrom([{ file: 'consumer.properties', kind: 'consumer', text: 'group.id=g' }]));
    expect(kafka.cluster('localhost:9192').consumer().groupMetadata().groupId).toBe('g');
  });
});
