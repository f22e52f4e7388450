/**
 * kcat (librdkafka 2.0.2) against the lab cluster over TCP: metadata, every compression
 * codec on produce, consuming from the beginning, and the feature negotiation librdkafka logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';
import { kcat } from './kcat';

let lab: CompatCluster;

beforeAll(async () => {
  lab = await CompatCluster.start({ topics: [{ name: 'kcat-codecs', numPartitions: 1, replicationFactor: 3 }, { name: 'kcat-meta', numPartitions: 3, replicationFactor: 2 }] });
});

afterAll(async () => {
  await lab?.close();
});

describe('kcat', () => {
  it('-L lists every broker at its listener, the controller, and the topics with leaders', async () => {
    const result = await kcat(lab.bootstrap(), ['-L']);
    expect(result.code).toBe(0);
    for (const [id, port] of lab.ports) expect(result.stdout).toContain(`broker ${id} at 127.0.0.1:${port}`);
    expect(result.stdout).toMatch(/broker \d at 127\.0\.0\.1:\d+ \(controller\)/);
    expect(result.stdout).toContain('topic "kcat-meta" with 3 partitions');
    expect(result.stdout).toMatch(/partition 2, leader [123], replicas: [123],[123], isrs: [123],[123]/);
  });

  it('negotiates every feature: no "Disabling feature" line with -d feature,protocol', async () => {
    const result = await kcat(lab.bootstrap(), ['-L', '-d', 'feature,protocol']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Enabling feature MsgVer2');
    expect(result.stderr).toContain('Enabling feature IdempotentProducer');
    expect(result.stderr).toContain('Enabling feature ZSTD');
    expect(result.stderr).not.toContain('Disabling feature');
  });

  it('produces with -z gzip, snappy, lz4 and zstd and consumes every record back from the beginning', async () => {
    const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
    for (const codec of codecs) {
      const input = Array.from({ length: 20 }, (_, i) => `${codec}-${i}:value ${codec} ${i} ${'x'.repeat(i * 10)}`).join('\n') + '\n';
      const produced = await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-codecs', '-p', '0', '-K:', '-z', codec, '-X', 'linger.ms=5'], { input });
      expect(produced.code, produced.stderr).toBe(0);
    }
    const consumed = await kcat(lab.bootstrap(), ['-C', '-t', 'kcat-codecs', '-o', 'beginning', '-e', '-f', '%o %k=%s\\n']);
    expect(consumed.code, consumed.stderr).toBe(0);
    const lines = consumed.stdout.trim().split('\n');
    expect(lines).toHaveLength(codecs.length * 20);
    lines.forEach((line, offset) => expect(line.startsWith(`${offset} `)).toBe(true));
    for (const codec of codecs) expect(lines).toContain(`${codecs.indexOf(codec) * 20 + 7} ${codec}-7=value ${codec} 7 ${'x'.repeat(70)}`);
  });

  it('consumes from an offset and reports the end of the partition', async () => {
    await kcat(lab.bootstrap(), ['-P', '-t', 'kcat-meta', '-p', '1'], { input: 'a\nb\nc\nd\n' });
    const consumed = await kcat(lab.bootstrap(), ['-C', '-t', 'kcat-meta', '-p', '1', '-o', '2', '-e', '-f', '%o:%s\\n']);
    expect(consumed.stdout).toBe('2:c\n3:d\n');
    expect(consumed.stderr).toContain('Reached end of topic kcat-meta [1] at offset 4');
  });
});
