/**
 * The lab's built-in producers and consumers (the shell's `clients` command): group
 * consumers that consume and commit, and producers that write at a steady rate of virtual
 * time, idempotent or transactional. They are the engine's own in-lab clients
 * (`cluster.client.createConsumer` / `createProducer`), so their requests reach the
 * coordinator and partition leaders through the cluster like a real client's, and every
 * rebalance, commit, fencing and marker shows up in the trace.
 *
 * A transactional producer commits about once a second. Starting a second producer with the
 * same transactional id fences the first, which then shows as fenced. Clients belong to the
 * cluster they started on: after a lab reset they are gone.
 *
 * They are rewindable: the live lab records each command with its moment, and a replay runs
 * the same commands on a rebuilt cluster stopped at the same clock stops (the lab's
 * recording.ts and docs/adr/0004-time-travel-by-replay.md). So this code must stay a pure
 * function of the cluster it drives: no wall clock, no randomness of its own, and state
 * only in the objects it creates here.
 *
 * They live here, beside the client host, because both lab hosts run them: the live lab
 * (@kil/lab, which imports the grader) and the grading lab (grader-lab.ts), so a model
 * answer that starts built-in clients is graded on exactly what a learner's lab runs. They
 * need only the engine facade and the shell's `LabClients` interface, both of which the
 * grader may import.
 */
import type { ClusterApi, GroupConsumerApi, ProducerApi } from '@kil/engine';
import type { ConsumersRequest, LabClientInfo, LabClients, ProducerRequest } from '@kil/shell';

/** How often a consumer polls its partitions, in virtual ms. */
const POLL_INTERVAL_MS = 250;
/** A transactional producer commits this often, in virtual ms. */
const TRANSACTION_INTERVAL_MS = 1_000;

interface RunningClient {
  readonly name: string;
  readonly kind: 'producer' | 'consumer';
  readonly cluster: ClusterApi;
  /** The engine cluster the client runs on; it is forgotten once the host moved on. */
  readonly owner: unknown;
  stopped: boolean;
  describe(): string;
  state(): string;
  stop(): Promise<void>;
}

export class BuiltInClients implements LabClients {
  private readonly clients = new Map<string, RunningClient>();
  private consumerSeq = 0;
  private producerSeq = 0;

  /**
   * `cluster` is read on every call, so the clients follow a lab reset. `owner` names the
   * engine cluster behind it, when `cluster` returns a view (a lab's limits) that may be
   * rebuilt while the cluster stays the same; clients of another owner are forgotten.
   */
  constructor(
    private readonly cluster: () => ClusterApi,
    private readonly owner: () => unknown = cluster,
  ) {}

  private current(): ClusterApi {
    const owner = this.owner();
    for (const [name, client] of this.clients) if (client.owner !== owner) this.clients.delete(name);
    return this.cluster();
  }

  async startConsumers(request: ConsumersRequest): Promise<readonly string[]> {
    const cluster = this.current();
    const names: string[] = [];
    for (let i = 0; i < request.count; i++) {
      const n = ++this.consumerSeq;
      const name = `consumer-${n}`;
      const consumer = cluster.client.createConsumer({
        groupId: request.group,
        topics: [request.topic],
        clientId: name,
        assignor: request.assignor ?? 'range',
        groupInstanceId: request.static === true ? `${request.group}-instance-${n}` : null,
      });
      consumer.start();
      this.clients.set(name, this.consumerClient(name, cluster, consumer, request));
      names.push(name);
    }
    return names;
  }

  private consumerClient(name: string, cluster: ClusterApi, consumer: GroupConsumerApi, request: ConsumersRequest): RunningClient {
    let consumed = 0;
    const client: RunningClient = {
      name,
      kind: 'consumer',
      cluster,
      owner: this.owner(),
      stopped: false,
      describe: () => {
        const partitions = consumer.assignment().map((tp) => tp.partition).sort((a, b) => a - b);
        const assignor = request.assignor ?? 'range';
        return `group=${request.group} topic=${request.topic} partitions=${partitions.join(',') || '-'} generation=${consumer.generationId} assignor=${assignor}${request.static === true ? ' static' : ''} consumed=${consumed}`;
      },
      state: () => (client.stopped ? 'stopped' : consumer.state),
      stop: async () => {
        client.stopped = true;
        await consumer.close();
      },
    };
    void (async () => {
      while (!client.stopped) {
        consumed += (await consumer.poll(0).catch(() => [])).length;
        await cluster.sleep(POLL_INTERVAL_MS);
      }
    })();
    return client;
  }

  async startProducer(request: ProducerRequest): Promise<string> {
    const cluster = this.current();
    const name = `producer-${++this.producerSeq}`;
    const acks = request.acks === undefined || request.acks === 'all' ? 'all' : (Number(request.acks) as 0 | 1);
    const producer = cluster.client.createProducer({
      clientId: name,
      acks,
      ...(request.idempotent === true ? { idempotent: true } : {}),
      ...(request.transactionalId === undefined ? {} : { transactionalId: request.transactionalId }),
    });
    const client = this.producerClient(name, cluster, producer, request);
    this.clients.set(name, client);
    return name;
  }

  private producerClient(name: string, cluster: ClusterApi, producer: ProducerApi, request: ProducerRequest): RunningClient {
    let sent = 0;
    let failed = 0;
    const client: RunningClient = {
      name,
      kind: 'producer',
      cluster,
      owner: this.owner(),
      stopped: false,
      describe: () => {
        const mode = request.transactionalId !== undefined ? ` transactional.id=${request.transactionalId}` : request.idempotent === true ? ' idempotent' : '';
        const pid = producer.producerId >= 0 ? ` pid=${producer.producerId} epoch=${producer.producerEpoch}` : '';
        return `topic=${request.topic} acks=${request.acks ?? 'all'} ${request.rate} rec/s${mode}${pid} sent=${sent}${failed > 0 ? ` failed=${failed}` : ''}`;
      },
      state: () => (producer.state === 'fenced' ? 'fenced' : producer.state === 'failed' ? 'failed' : client.stopped ? 'stopped' : 'running'),
      stop: async () => {
        client.stopped = true;
        if (producer.state === 'in-transaction') await producer.abortTransaction().catch(() => undefined);
        producer.close();
      },
    };
    const intervalMs = 1_000 / request.rate;
    void (async () => {
      const partitions = () => cluster.snapshot().topics.find((t) => t.name === request.topic)?.partitions.length ?? 1;
      let nextCommitMs = cluster.nowMs() + TRANSACTION_INTERVAL_MS;
      for (let n = 0; !client.stopped && producer.state !== 'fenced' && producer.state !== 'failed'; n++) {
        try {
          if (request.transactionalId !== undefined && producer.state !== 'in-transaction') {
            if (producer.state === 'new') await producer.init();
            producer.beginTransaction();
          }
          const r = await producer.send({ topic: request.topic, partition: n % partitions(), records: [{ key: `key-${n}`, value: `${name} message ${n}` }] });
          if (r.error === null) sent++;
          else failed++;
          if (request.transactionalId !== undefined && cluster.nowMs() >= nextCommitMs) {
            await producer.commitTransaction();
            nextCommitMs = cluster.nowMs() + TRANSACTION_INTERVAL_MS;
          }
        } catch {
          failed++;
        }
        await cluster.sleep(intervalMs);
      }
    })();
    return client;
  }

  list(): readonly LabClientInfo[] {
    this.current();
    return [...this.clients.values()].map((c) => ({ name: c.name, kind: c.kind, description: c.describe(), state: c.state() }));
  }

  async stop(name: string): Promise<number> {
    this.current();
    const targets = name === 'all' ? [...this.clients.values()] : [this.clients.get(name)].filter((c): c is RunningClient => c !== undefined);
    for (const c of targets) this.clients.delete(c.name);
    await Promise.all(targets.map((c) => c.stop()));
    return targets.length;
  }
}
