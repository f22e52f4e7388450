import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { parseSegmentPath } from './kafka-dump-log';

const BS = '--bootstrap-server localhost:9092';
const SEGMENT = 'orders-0/00000000000000000000';

describe('kafka-dump-log', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 3 --config index.interval.bytes=1`);
    await lab.run(`kafka-console-producer ${BS} --topic orders --property parse.key=true --property key.separator=: --message k1:first`);
    await lab.run(`kafka-console-producer ${BS} --topic orders --message second`);
    lab.advance(2_000);
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-dump-log --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  it('needs --files', async () => {
    const { code, output } = await lab.run('kafka-dump-log --print-data-log');
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe('Missing required argument "[files]"');
  });

  it('dumps batches, and records with --print-data-log, as DumpLogSegments does', async () => {
    const plain = await lab.run(`kafka-dump-log --files ${SEGMENT}.log`);
    expect(plain.code).toBe(0);
    const lines = plain.output.trimEnd().split('\n');
    expect(lines[0]).toBe(`Dumping ${SEGMENT}.log`);
    expect(lines[1]).toBe('Log starting offset: 0');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -?\d+ lastSequence: -?\d+ producerId: -?\d+ producerEpoch: -?\d+ partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: \d+ size: \d+ magic: 2 compresscodec: none crc: \d+ isvalid: true$/);
    expect(lines[3]).toMatch(/^baseOffset: 1 lastOffset: 1 count: 1 .* position: \d+ CreateTime/);
    const data = await lab.run(`kafka-dump-log --files ${SEGMENT}.log --print-data-log`);
    expect(data.output).toMatch(/\n\| offset: 0 CreateTime: \d+ keySize: 2 valueSize: 5 sequence: -?\d+ headerKeys: \[\] key: k1 payload: first\n/);
    expect(data.output).toMatch(/\n\| offset: 1 CreateTime: \d+ keySize: -1 valueSize: 6 sequence: -?\d+ headerKeys: \[\] payload: second\n$/);
  });

  it('reads the same segment from every replica, and the indexes', async () => {
    const leader = lab.cluster.snapshot().topics[0]!.partitions[0]!.leader;
    const follower = [1, 2, 3].find((b) => b !== leader)!;
    const fromLeader = await lab.run(`kafka-dump-log --files ${SEGMENT}.log --print-data-log`);
    const fromFollower = await lab.run(`kafka-dump-log --files ${SEGMENT}.log --print-data-log --broker ${follower}`);
    expect(fromFollower.output).toBe(fromLeader.output);
    const index = await lab.run(`kafka-dump-log --files ${SEGMENT}.index,${SEGMENT}.timeindex`);
    expect(index.output).toMatch(new RegExp(`^Dumping ${SEGMENT}.index\\n(offset: \\d+ position: \\d+\\n)+Dumping ${SEGMENT}.timeindex\\n(timestamp: \\d+ offset: \\d+\\n)+$`));
    expect((await lab.run(`kafka-dump-log --files ${SEGMENT}.index --index-sanity-check`)).output).toBe(`${SEGMENT}.index passed sanity check.\n`);
  });

  it('still reads a crashed broker\'s disk, showing only what was flushed', async () => {
    const leader = lab.cluster.snapshot().topics[0]!.partitions[0]!.leader;
    const follower = [1, 2, 3].find((b) => b !== leader)!;
    await lab.run(`broker crash ${follower}`);
    const { code, output } = await lab.run(`kafka-dump-log --files ${SEGMENT}.log --broker ${follower}`);
    expect(code).toBe(0);
    expect(output.split('\n')[0]).toBe(`Dumping ${SEGMENT}.log`);
    await lab.run(`broker start ${follower}`);
  });

  it('explains a missing file and a bad path', async () => {
    const missing = await lab.run('kafka-dump-log --files orders-0/00000000000000000099.log');
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/^orders-0\/00000000000000000099\.log \(No such file or directory\)\nhint: broker \d has .*orders-0\/00000000000000000000\.log/);
    const noTopic = await lab.run('kafka-dump-log --files nope-0/00000000000000000000.log');
    expect(noTopic.output).toMatch(/hint: there is no topic nope/);
    const bad = await lab.run('kafka-dump-log --files orders.log');
    expect(bad.output).toMatch(/^orders\.log: not a segment file this tool can dump/);
    const decoder = await lab.run(`kafka-dump-log --files ${SEGMENT}.log --offsets-decoder`);
    expect(decoder.code).toBe(1);
  });

  it('parses data-directory paths', () => {
    expect(parseSegmentPath('/var/lib/kafka/data/my-topic-12/00000000000000000042.timeindex')).toEqual({
      dir: 'my-topic-12',
      topic: 'my-topic',
      partition: 12,
      name: '00000000000000000042.timeindex',
      baseOffset: 42,
      kind: 'timeindex',
    });
  });
});
