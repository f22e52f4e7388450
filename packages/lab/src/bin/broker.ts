/**
 * `npm run broker`: the lab's Kafka cluster as a standalone broker process that real
 * clients (kcat, kafkajs, any Kafka client) can use on localhost.
 *
 * Defaults: 3 brokers on 127.0.0.1:9092-9094 and 3 KRaft controllers, driven in real time,
 * with Kafka's broker defaults (auto.create.topics.enable=true, num.partitions=1,
 * default.replication.factor=1). Prints one line when ready. Ctrl-C (SIGINT/SIGTERM) is a
 * controlled shutdown: the listeners close, each broker moves its leaderships away and
 * stops, the logs are flushed, and the process exits.
 *
 *   --brokers N          number of brokers (ids 1..N)
 *   --port P             first listener port (broker N listens on P + N - 1)
 *   --host H             interface to bind (default 127.0.0.1)
 *   --advertised-host H  host clients are told to connect to (default: --host)
 *   --racks a,b,c        broker.rack of brokers 1, 2, 3...
 *   --override k=v       a server.properties setting (repeatable)
 *   --config FILE        a server.properties file (overrides on the command line win)
 *   --seed S             seed of the simulation (default 1)
 *   --data-dir D         keep partition logs (Kafka's on-disk layout) and each node's
 *                        metadata log under D; a restart with the same D keeps every topic
 *                        and record (see data-dir.ts). Without it everything is in memory.
 *
 * Deviations: the metadata log is saved as JSON (at most once a second and at shutdown), so
 * a process killed without a shutdown may forget the last second of metadata changes; the
 * virtual clock starts from 0 again on every start.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Cluster, runUntil } from '@kil/engine';
import { everyBrokerSeesEveryBroker, KafkaListeners } from '../listeners';
import { RealTimeScheduler } from '../scheduler';
import { DataDir } from './data-dir';

/** KRaft controllers of the broker process (ids 101..103), as in the lab's default shape. */
const CONTROLLERS = 3;
const FIRST_CONTROLLER_ID = 101;
/** How often (wall ms) changed metadata logs are written to --data-dir. */
const METADATA_SAVE_INTERVAL_MS = 1_000;

export interface BrokerProcessOptions {
  readonly brokers: number;
  readonly port: number;
  readonly host: string;
  readonly advertisedHost: string | undefined;
  readonly racks: readonly string[] | undefined;
  readonly config: Record<string, string>;
  readonly seed: number;
  /** --data-dir: where logs and metadata live across restarts; undefined keeps them in memory. */
  readonly dataDir?: string | undefined;
}

/** Parses `k=v` lines of a server.properties file (comments and blank lines skipped). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const at = line.search(/[=:]/);
    if (at <= 0) throw new Error(`Cannot read "${line}": expected key=value.`);
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function parseBrokerArgs(argv: readonly string[]): BrokerProcessOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      brokers: { type: 'string', default: '3' },
      port: { type: 'string', default: '9092' },
      host: { type: 'string', default: '127.0.0.1' },
      'advertised-host': { type: 'string' },
      racks: { type: 'string' },
      override: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  const brokers = Number(values.brokers);
  const port = Number(values.port);
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 64) throw new Error(`--brokers must be between 1 and 64, got ${values.brokers}.`);
  if (!Number.isInteger(port) || port < 1 || port + brokers - 1 > 65535) throw new Error(`--port must leave room for ${brokers} ports below 65536, got ${values.port}.`);
  const fromFile = values.config === undefined ? {} : parseProperties(readFileSync(values.config, 'utf8'));
  const fromFlags = parseProperties((values.override ?? []).join('\n'));
  const racks = values.racks?.split(',').map((r) => r.trim());
  if (racks !== undefined && racks.length !== brokers) throw new Error(`--racks names ${racks.length} racks for ${brokers} brokers.`);
  return {
    brokers,
    port,
    host: values.host ?? '127.0.0.1',
    advertisedHost: values['advertised-host'],
    racks,
    config: { ...smallClusterDefaults(brokers), ...fromFile, ...fromFlags },
    seed: Number(values.seed),
    dataDir: values['data-dir'],
  };
}

/**
 * Kafka's internal topics want 3 replicas; on a smaller cluster they could never be created,
 * so, as Kafka's single-node quickstart configs do, ask for as many as there are brokers.
 */
function smallClusterDefaults(brokers: number): Record<string, string> {
  if (brokers >= 3) return {};
  return {
    'offsets.topic.replication.factor': String(brokers),
    'transaction.state.log.replication.factor': String(brokers),
    'transaction.state.log.min.isr': String(Math.min(2, brokers)),
  };
}

export interface RunningBroker {
  readonly cluster: Cluster;
  readonly listeners: KafkaListeners;
  readonly readyLine: string;
  shutdown(): Promise<void>;
}

function openDataDir(options: BrokerProcessOptions): DataDir | null {
  if (options.dataDir === undefined) return null;
  const brokerIds = Array.from({ length: options.brokers }, (_, i) => i + 1);
  const controllerIds = Array.from({ length: CONTROLLERS }, (_, i) => FIRST_CONTROLLER_ID + i);
  return new DataDir(options.dataDir, { brokerIds, controllerIds });
}

export async function startBrokerProcess(options: BrokerProcessOptions): Promise<RunningBroker> {
  const dataDir = openDataDir(options);
  const cluster = new Cluster({
    seed: options.seed,
    brokers: options.brokers,
    controllers: CONTROLLERS,
    racks: options.racks,
    config: options.config,
    advertisedHost: options.advertisedHost ?? options.host,
    advertisedPortBase: options.port,
    ...(dataDir === null
      ? {}
      : {
          ...(dataDir.clusterId === undefined ? {} : { clusterId: dataDir.clusterId }),
          logStoreFor: (id: number) => dataDir.logStoreFor(id),
          metadataLogFor: (id: number) => dataDir.metadataLogFor(id),
        }),
  });
  if (!(await runUntil(cluster, everyBrokerSeesEveryBroker(cluster), 120_000))) throw new Error('The cluster did not become ready within 120 s of virtual time.');
  dataDir?.writeMetaProperties(cluster.clusterId);
  dataDir?.saveMetadata(cluster);
  const saver = dataDir === null ? null : setInterval(() => dataDir.saveMetadata(cluster), METADATA_SAVE_INTERVAL_MS);
  const scheduler = new RealTimeScheduler(cluster);
  const listeners = await KafkaListeners.start(cluster, {
    host: options.host,
    ...(options.advertisedHost !== undefined ? { advertisedHost: options.advertisedHost } : {}),
    ports: { first: options.port, last: options.port + options.brokers - 1 },
    onWork: () => scheduler.poke(),
  });
  const controllers = cluster.voterIds;
  const readyLine = `Kafka Internals Lab broker ready: ${options.brokers} broker(s) at ${listeners.bootstrapServers()}, controllers ${controllers.join(',')}, cluster id ${cluster.clusterId}${dataDir === null ? '' : `, data in ${dataDir.root}`}`;
  return {
    cluster,
    listeners,
    readyLine,
    shutdown: async () => {
      await listeners.close();
      scheduler.dispose();
      if (saver !== null) clearInterval(saver);
      await controlledShutdown(cluster);
      dataDir?.saveMetadata(cluster);
      dataDir?.close();
    },
  };
}

/** Stops every broker the way Kafka's controlled shutdown does, then the controllers. */
async function controlledShutdown(cluster: Cluster): Promise<void> {
  for (const id of cluster.brokerIds) cluster.faults.stopNode(id);
  // Nobody is connected any more, so virtual time may run as fast as it likes.
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'stopped'), 60_000);
  for (const id of cluster.voterIds) cluster.faults.stopNode(id);
}

async function main(): Promise<void> {
  let options: BrokerProcessOptions;
  try {
    options = parseBrokerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run broker -- [--brokers N] [--port P] [--host H] [--racks a,b,c] [--override k=v] [--config server.properties] [--data-dir D]\n`);
    process.exit(2);
  }
  const broker = await startBrokerProcess(options);
  process.stdout.write(`${broker.readyLine}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Controlled shutdown: moving leaderships away and stopping brokers...\n');
    broker.shutdown().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
