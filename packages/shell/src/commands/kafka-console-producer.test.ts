import { settle } from '@kil/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../args';
import { newTestLab, type TestLab } from '../testing';
import { PRODUCER_OPTIONS, producerSettings } from './kafka-console-producer';

const BS = '--bootstrap-server localhost:9092';

function settings(line: string) {
  return producerSettings(parseOptions(PRODUCER_OPTIONS, line.split(' ')));
}

describe('kafka-console-producer', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('derives acks, compression and idempotence like Kafka', () => {
    expect(settings('--topic t')).toMatchObject({ acks: 'all', compressionType: 'none', idempotent: true });
    expect(settings('--topic t --request-required-acks 1')).toMatchObject({ acks: '1', idempotent: false });
    expect(settings('--topic t --producer-property acks=0 --compression-codec')).toMatchObject({ acks: '0', compressionType: 'gzip' });
    expect(settings('--topic t --compression-codec=zstd --property parse.key=true --property key.separator=:')).toMatchObject({ compressionType: 'zstd', readerProps: { 'parse.key': 'true', 'key.separator': ':' } });
    expect(settings('--topic t --producer-property transactional.id=tx-1')).toMatchObject({ transactionalId: 'tx-1', idempotent: true });
  });

  it('refuses bad settings with Kafka wording', async () => {
    expect((await lab.run(`kafka-console-producer ${BS} --message x`)).output).toBe('Missing required argument "[topic]"\nhint: add --topic <name>\n');
    expect((await lab.run(`kafka-console-producer ${BS} --topic t --request-required-acks 2`)).output.split('\n')[0]).toBe('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
    expect((await lab.run(`kafka-console-producer ${BS} --topic t --compression-codec brotli`)).output.split('\n')[0]).toBe('Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd');
    expect((await lab.run(`kafka-console-producer ${BS} --topic t --producer-property acks=1 --producer-property transactional.id=x`)).output.split('\n')[0]).toBe('Cannot set a transactional.id without also enabling idempotence.');
  });

  it('reports a line without the key separator before sending anything', async () => {
    const { code, output } = await lab.run(`kafka-console-producer ${BS} --topic t --property parse.key=true --property key.separator=: --message novalue`);
    expect(code).toBe(1);
    expect(output).toBe("No key separator found on line number 1: 'novalue'\nhint: write key:value, or drop --property parse.key=true\n");
  });
});

describe('kafka-console-producer against the cluster', () => {
  it('writes keyed records to the partition of their key, and the consumer reads them back', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 3 --replication-factor 3`);
    const produced = await lab.run(`kafka-console-producer ${BS} --topic orders --property parse.key=true --property key.separator=: --message k1:v1 --message k2:v2 --message k1:v3`);
    expect(produced).toEqual({ code: 0, output: '' });
    const partitions = lab.cluster.snapshot().topics.find((t) => t.name === 'orders')?.partitions ?? [];
    expect(partitions.reduce((sum, p) => sum + p.logEndOffset, 0)).toBe(3);
    const consumed = await lab.run(`kafka-console-consumer ${BS} --topic orders --from-beginning --max-messages 3 --property print.key=true --property print.partition=true`);
    expect(consumed.code).toBe(0);
    const lines = consumed.output.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Processed a total of 3 messages');
    const k1 = lines.filter((l) => /\tk1\t/.test(l));
    expect(k1).toHaveLength(2);
    expect(new Set(k1.map((l) => l.split('\t')[0])).size).toBe(1);
    expect(lines.slice(0, 3).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^Partition:\d\tk2\tv2$/)]));
  });

  it('reads lines interactively until Ctrl-D and reports NOT_ENOUGH_REPLICAS with its reason', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic strict --partitions 1 --replication-factor 2 --config min.insync.replicas=2`);
    const typed = lab.start(`kafka-console-producer ${BS} --topic strict`, ['hello', 'world']);
    expect(await settle(lab.cluster, typed.done)).toBe(0);
    expect(typed.output()).toBe('>>>\n');
    const replicas = lab.cluster.snapshot().topics.find((t) => t.name === 'strict')?.partitions[0]?.replicas ?? [];
    const follower = replicas.find((id) => id !== replicas[0]) as number;
    await lab.run(`broker crash ${follower}`);
    lab.advance(60_000);
    const refused = await lab.run(`kafka-console-producer --bootstrap-server localhost:${9091 + (replicas[0] as number)} --topic strict --message late`);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^ERROR Error when sending message to topic strict with key: null, value: 4 bytes with error: .+\nhint: NOT_ENOUGH_REPLICAS \(error code 19\)/);
  });

  it('creates a missing topic when the broker allows auto-creation', async () => {
    const lab = await newTestLab();
    const { code, output } = await lab.run(`kafka-console-producer ${BS} --topic fresh --message one`);
    expect(code).toBe(0);
    expect(output).toBe('hint: topic fresh did not exist; the broker created it because auto.create.topics.enable=true\n');
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'fresh')?.partitions[0]?.logEndOffset).toBe(1);
  });

  it('writes a tombstone for the null marker, and idempotent batches with a producer id', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic customers --partitions 1 --replication-factor 3`);
    const sent = await lab.run(`kafka-console-producer ${BS} --topic customers --property parse.key=true --property key.separator=: --property null.marker=NULL --producer-property enable.idempotence=true --message bob:paris --message bob:NULL`);
    expect(sent).toEqual({ code: 0, output: '' });
    const dump = (await lab.run('kafka-dump-log --files customers-0/00000000000000000000.log --print-data-log')).output;
    expect(dump).toMatch(/baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: \d+ producerEpoch: 0 /);
    expect(dump).toMatch(/baseOffset: 1 lastOffset: 1 count: 1 baseSequence: 1 lastSequence: 1 producerId: \d+ /);
    expect(dump).toMatch(/\| offset: 1 CreateTime: \d+ keySize: 3 valueSize: -1 sequence: 1 headerKeys: \[\] key: bob payload: null\n/);
  });

  it('refuses idempotence without acks=all, as Kafka does', async () => {
    const lab = await newTestLab();
    const { code, output } = await lab.run(`kafka-console-producer ${BS} --topic t --producer-property enable.idempotence=true --producer-property acks=1 --message x`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.');
  });

  it('says that compression falls back to none when the terminal has no codec', async () => {
    const lab = await newTestLab();
    const { output } = await lab.run(`kafka-console-producer ${BS} --topic plain --compression-codec gzip --message x`);
    expect(output.split('\n')).toContain('hint: compression.type=gzip was requested, but this terminal has no gzip codec, so batches are sent uncompressed');
  });
});
