import { gunzipSync, gzipSync } from 'node:zlib';
import { Cluster, runUntil, settle, type CompressionCodecs } from '@kil/engine';
import { describe, expect, it } from 'vitest';
import { batchPayload } from './batches';
import { Shell } from './shell';

const codecs: CompressionCodecs = { gzip: { compress: (d) => new Uint8Array(gzipSync(d)), decompress: (d) => new Uint8Array(gunzipSync(d)) } };

describe('compressed batches with a host-lent codec', () => {
  it('encodes a gzip batch only when the codec is there', () => {
    expect(batchPayload([{ value: 'x' }], 'gzip', undefined, 0)).toEqual({ request: { records: [{ value: 'x' }] }, codec: 'none' });
    const compressed = batchPayload([{ value: 'x'.repeat(100) }], 'gzip', codecs, 0);
    expect(compressed.codec).toBe('gzip');
    expect(compressed.request.batch!.length).toBeLessThan(100);
  });

  it('produces gzip batches that the console consumer and kafka-dump-log decode', async () => {
    const cluster = new Cluster({ seed: 3 });
    await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running') && cluster.snapshot().activeControllerId !== null);
    const shell = new Shell({ cluster, codecs });
    const run = async (line: string): Promise<string> => {
      let output = '';
      await settle(cluster, shell.execute(line, { write: (t) => (output += t), signal: new AbortController().signal }));
      return output;
    };
    await run('kafka-topics --bootstrap-server localhost:9092 --create --topic logs --partitions 1 --replication-factor 1');
    expect(await run('kafka-console-producer --bootstrap-server localhost:9092 --topic logs --compression-codec gzip --message hello --message world')).toBe('');
    expect(await run('kafka-console-consumer --bootstrap-server localhost:9092 --topic logs --from-beginning --max-messages 2')).toBe('hello\nworld\nProcessed a total of 2 messages\n');
    const dump = await run('kafka-dump-log --files logs-0/00000000000000000000.log --print-data-log');
    expect(dump).toMatch(/compresscodec: gzip crc: \d+ isvalid: true\n\| offset: 0 .* payload: hello\n/);
    let plain = '';
    await settle(cluster, new Shell({ cluster }).execute('kafka-dump-log --files logs-0/00000000000000000000.log --print-data-log', { write: (t) => (plain += t), signal: new AbortController().signal }));
    expect(plain).toContain('| (records of this gzip batch are not shown: this terminal has no gzip codec)\n');
  });
});
