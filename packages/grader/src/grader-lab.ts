/**
 * A lab for grading: the same engine Cluster, Shell and client host a learner's lab runs,
 * driven by fast-forward instead of the wall clock, so a whole exercise grades in well
 * under a second and the same inputs always give the same verdict. The shell's `clients`
 * command runs the live lab's built-in producers and consumers (built-in-clients.ts). A
 * geo-replication shape gets two clusters on one clock (geo.ts), routed by bootstrap
 * servers as live.
 */
import { Cluster, runUntil, settle, type ClusterApi, type MultiCluster, type NewTopic } from '@kil/engine';
import { Shell, type LabControls, type ShellContext } from '@kil/shell';
import { Kafka, KafkaClientError, type ClientOp, type Transport } from '@kil/client';
import { ClientHost, ClientOpError } from './client-host';
import { BuiltInClients } from './built-in-clients';
import type { ExerciseLabShape, LabView, LearnerProgram, Step } from './types';
import { geoCluster, regionOfBootstrap, regionOfLine, type GeoRegion } from './geo';

/** Virtual time one shell line or one program may take before it is stopped. */
export const stepBudgetMs = 120_000;

export interface StepOutcome {
  readonly step: string;
  readonly ok: boolean;
  readonly output: string;
}

export class GraderLab {
  readonly host: ClientHost;
  /** The shell's `clients` command: the live lab's built-in producers and consumers. */
  readonly clients: BuiltInClients;
  readonly shell: Shell;
  private readonly context: ShellContext;

  private constructor(
    readonly cluster: Cluster,
    /** The two regions of a geo lab (`cluster` is then its primary), or null. */
    readonly geo: MultiCluster | null = null,
  ) {
    this.host = new ClientHost(() => cluster, (servers) => this.region(regionOfBootstrap(servers)));
    // Built-in clients run on the primary cluster, as in the live lab.
    this.clients = new BuiltInClients(() => cluster);
    this.context = { cluster, lab: this.controls(), ...(geo ? { geo } : {}) };
    this.shell = new Shell(this.context);
  }

  /** What advances time: both clusters of a geo lab, else the one. */
  get clock(): Cluster | MultiCluster {
    return this.geo ?? this.cluster;
  }

  private region(region: GeoRegion): ClusterApi {
    return region === 'secondary' && this.geo ? this.geo.secondary : this.cluster;
  }

  static async start(shape: ExerciseLabShape): Promise<GraderLab> {
    const options = {
      seed: shape.seed ?? 1,
      brokers: shape.brokers ?? 3,
      controllers: shape.controllers ?? 3,
      ...(shape.racks ? { racks: shape.racks } : {}),
      ...(shape.config ? { config: shape.config } : {}),
    };
    const geo = shape.clusters === 2 || shape.secondary !== undefined ? geoCluster(options, shape) : null;
    const lab = geo ? new GraderLab(geo.primary, geo) : new GraderLab(new Cluster(options));
    const clusters = geo ? [geo.primary, geo.secondary] : [lab.cluster];
    if (!(await runUntil(lab.clock, () => clusters.every(isReady)))) throw new Error('the grading lab did not start: no active controller or a broker not running');
    await createShapeTopics(lab.clock, lab.cluster, shape.topics ?? []);
    if (geo) await createShapeTopics(geo, geo.secondary, shape.secondary?.topics ?? []);
    return lab;
  }

  /** A Kafka client for learner code, over the same JSON shapes the WebSocket carries. */
  kafka(): Kafka {
    const transport: Transport = {
      request: async (op: ClientOp, args) => {
        try {
          return JSON.parse(JSON.stringify((await this.host.handle(op, JSON.parse(JSON.stringify(args)))) ?? null));
        } catch (error) {
          if (error instanceof ClientOpError) throw new KafkaClientError(error.body);
          throw error;
        }
      },
    };
    return new Kafka(transport);
  }

  async runStep(step: Step): Promise<StepOutcome> {
    switch (step.kind) {
      case 'shell':
        return this.runLine(step.line);
      case 'code':
        return this.runProgram(step.file, step.program);
      case 'advance':
        // Event by event, letting promise callbacks run in between, as the live scheduler
        // does: built-in clients and learner code keep working while time passes.
        await runUntil(this.clock, () => false, step.ms);
        return { step: `advance ${step.ms} ms`, ok: true, output: '' };
    }
  }

  /** One terminal line, as typed; a line still running after the budget gets Ctrl-C. */
  async runLine(line: string): Promise<StepOutcome> {
    let output = '';
    const abort = new AbortController();
    // A geo lab's line goes to the region its --bootstrap-server names, as live.
    this.context.cluster = this.region(regionOfLine(line));
    const running = this.shell.execute(line, { write: (t) => (output += t), signal: abort.signal });
    let code: number;
    try {
      code = await settle(this.clock, running, stepBudgetMs);
    } catch {
      abort.abort();
      code = await settle(this.clock, running, 10_000).catch(() => 130);
    } finally {
      this.context.cluster = this.cluster;
    }
    return { step: `$ ${line}`, ok: code === 0, output };
  }

  async runProgram(file: string, program: LearnerProgram): Promise<StepOutcome> {
    const lines: string[] = [];
    const log = (...values: unknown[]) => lines.push(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' '));
    try {
      await settle(this.clock, program(this.kafka(), log), stepBudgetMs);
      return { step: `run ${file}`, ok: true, output: lines.join('\n') };
    } catch (error) {
      lines.push(`error: ${(error as Error).message}`);
      return { step: `run ${file}`, ok: false, output: lines.join('\n') };
    }
  }

  /** What checks see: the same snapshot and trace (since start) a live lab shows. */
  view(): LabView {
    const view: LabView = { snapshot: this.cluster.snapshot(), events: this.cluster.events(), logDir: (brokerId) => this.cluster.logDir(brokerId) };
    if (!this.geo) return view;
    return { ...view, secondary: { alias: this.geo.secondaryAlias, snapshot: this.geo.secondary.snapshot(), events: this.geo.secondary.events() } };
  }

  private controls(): LabControls {
    return {
      status: () => ['grading lab (fast-forward)'],
      time: {
        state: () => ({ paused: false, speed: 1, nowMs: this.cluster.nowMs() }),
        pause: () => {},
        resume: () => {},
        step: (ms: number) => this.clock.advanceBy(ms),
        setSpeed: () => {},
      },
      // `broker add`: the engine starts the broker and resolves once it is registered and unfenced.
      addBroker: (options) => this.cluster.admin.addBroker(options.rack === undefined ? {} : { rack: options.rack }),
      clients: this.clients,
    };
  }
}

async function createShapeTopics(clock: Cluster | MultiCluster, cluster: ClusterApi, topics: readonly NewTopic[]): Promise<void> {
  if (topics.length === 0) return;
  const results = await settle(clock, cluster.admin.createTopics(topics));
  const failed = results.find((r) => r.error);
  if (failed?.error) throw new Error(`the exercise's lab shape is invalid: topic ${failed.name}: ${failed.error.message}`);
  await runUntil(clock, () => cluster.snapshot().topics.every((t) => t.partitions.every((p) => p.leader >= 0)));
}

export function isReady(cluster: ClusterApi): boolean {
  const snapshot = cluster.snapshot();
  return snapshot.activeControllerId !== null && snapshot.brokers.every((b) => b.state === 'running');
}
