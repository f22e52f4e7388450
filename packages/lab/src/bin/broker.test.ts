import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { parseBrokerArgs, parseProperties, startBrokerProcess } from './broker';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run broker arguments', () => {
  it('defaults to 3 brokers on 127.0.0.1:9092 with Kafka broker defaults', () => {
    const options = parseBrokerArgs([]);
    expect(options).toMatchObject({ brokers: 3, port: 9092, host: '127.0.0.1', seed: 1 });
    expect(options.config).toEqual({});
  });

  it('merges a properties file shape and --override flags, and sizes internal topics for small clusters', () => {
    expect(parseProperties('# comment\nnum.partitions=3\n\nlog.retention.ms : 1000\n')).toEqual({ 'num.partitions': '3', 'log.retention.ms': '1000' });
    const options = parseBrokerArgs(['--brokers', '1', '--override', 'num.partitions=4', '--override', 'auto.create.topics.enable=false', '--racks', 'a']);
    expect(options.config).toMatchObject({ 'num.partitions': '4', 'auto.create.topics.enable': 'false', 'offsets.topic.replication.factor': '1' });
    expect(options.racks).toEqual(['a']);
  });

  it('refuses bad values with a message', () => {
    expect(() => parseBrokerArgs(['--brokers', '0'])).toThrow(/--brokers/);
    expect(() => parseBrokerArgs(['--racks', 'a,b'])).toThrow(/racks/);
    expect(() => parseBrokerArgs(['--data-dir', '/tmp/x'])).toThrow(/not supported/);
    expect(() => parseBrokerArgs(['--override', 'nonsense'])).toThrow(/key=value/);
  });
});

describe('the broker process', () => {
  it('serves clients on consecutive ports from --port, then shuts down in a controlled way', async () => {
    const port = await freePort();
    const broker = await startBrokerProcess({ ...parseBrokerArgs(['--brokers', '2', '--port', String(port)]) });
    expect(broker.readyLine).toContain(`127.0.0.1:${port},127.0.0.1:${port + 1}`);
    const kafka = new Kafka({ clientId: 'bin', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: 'auto', messages: [{ value: 'hello' }] });
    expect(sent?.errorCode).toBe(0);
    await producer.disconnect();
    await broker.shutdown();
    expect(broker.cluster.snapshot().brokers.every((b) => b.state === 'stopped')).toBe(true);
  });
});
