import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBrokerArgs, parseProperties, startBrokerProcess } from './broker';
import { DataDir } from './data-dir';

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

/** `npm run broker` as a child process (tsx, as the npm script runs it). */
class BrokerChild {
  output = '';
  private readonly exited: Promise<number | null>;
  private readonly child;

  constructor(args: readonly string[]) {
    const root = join(import.meta.dirname, '..', '..', '..', '..');
    this.child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(import.meta.dirname, 'broker.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes('broker ready')) {
      if (Date.now() > deadline) throw new Error(`the broker did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ctrl-C: a controlled shutdown; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

describe('--data-dir', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory written by a cluster of another shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kil-data-'));
    dirs.push(dir);
    new DataDir(dir, { brokerIds: [1, 2, 3], controllerIds: [101, 102, 103] }).writeMetaProperties('abc');
    const reopened = new DataDir(dir, { brokerIds: [1, 2, 3], controllerIds: [101, 102, 103] });
    expect(reopened.clusterId).toBe('abc');
    expect(() => new DataDir(dir, { brokerIds: [1], controllerIds: [101, 102, 103] })).toThrow(/--brokers/);
  });

  it('keeps every topic and record across a clean restart of the broker process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kil-data-'));
    dirs.push(dir);
    const port = await freePort();
    const args = ['--brokers', '2', '--port', String(port), '--data-dir', dir];
    const first = new BrokerChild(args);
    await first.ready();
    const clusterId = /cluster id (\S+),/.exec(first.output)?.[1];
    const kafka = new Kafka({ clientId: 'restart', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 2, replicationFactor: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, i) => `record-${i}`);
    await producer.send({ topic: 'kept', acks: -1, messages: values.map((value, i) => ({ value, partition: i % 2 })) });
    await producer.disconnect();
    expect(await first.stop()).toBe(0);
    // Kafka's layout: one directory per partition replica with segment files named by base offset.
    expect(readdirSync(join(dir, 'broker-1'))).toEqual(expect.arrayContaining(['kept-0', 'kept-1', '__cluster_metadata-0']));
    expect(existsSync(join(dir, 'broker-1', 'kept-0', '00000000000000000000.log'))).toBe(true);

    const second = new BrokerChild(args);
    await second.ready();
    expect(second.output).toContain(`cluster id ${clusterId}`);
    const again = new Kafka({ clientId: 'restart', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    const admin2 = again.admin();
    await admin2.connect();
    expect(await admin2.listTopics()).toContain('kept');
    const offsets = await admin2.fetchTopicOffsets('kept');
    expect(offsets.map((o) => [o.partition, o.high]).sort()).toEqual([[0, '10'], [1, '10']]);
    await admin2.disconnect();
    const consumer = again.consumer({ groupId: 'after-restart', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'kept', fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    const deadline = Date.now() + 20_000;
    while (seen.length < values.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.disconnect();
    expect(seen.sort()).toEqual([...values].sort());
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
