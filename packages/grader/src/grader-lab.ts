/**
 * A lab for grading: the same engine Cluster, Shell and client host a learner's lab runs,
 * driven by fast-forward instead of the wall clock, so a whole exercise grades in well
 * under a second and the same inputs always give the same verdict.
 */
import { Cluster, runUntil, settle, type ClusterApi } from '@kil/engine';
import { Shell, type LabControls } from '@kil/shell';
import { Kafka, KafkaClientError, type ClientOp, type Transport } from '@kil/client';
import { ClientHost, ClientOpError } from './client-host';
import type { ExerciseLabShape, LabView, LearnerProgram, Step } from './types';

/** Virtual time one shell line or one program may take before it is stopped. */
export const stepBudgetMs = 120_000;

export interface StepOutcome {
  readonly step: string;
  readonly ok: boolean;
  readonly output: string;
}

export class GraderLab {
  readonly host: ClientHost;
  readonly shell: Shell;

  private constructor(readonly cluster: Cluster) {
    this.host = new ClientHost(() => cluster);
    this.shell = new Shell({ cluster, lab: this.controls() });
  }

  static async start(shape: ExerciseLabShape): Promise<GraderLab> {
    const cluster = new Cluster({
      seed: shape.seed ?? 1,
      brokers: shape.brokers ?? 3,
      controllers: shape.controllers ?? 3,
      ...(shape.racks ? { racks: shape.racks } : {}),
      ...(shape.config ? { config: shape.config } : {}),
    });
    const lab = new GraderLab(cluster);
    if (!(await runUntil(cluster, () => isReady(cluster)))) throw new Error('the grading lab did not start: no active controller or a broker not running');
    if (shape.topics?.length) {
      const results = await settle(cluster, cluster.admin.createTopics(shape.topics));
      const failed = results.find((r) => r.error);
      if (failed?.error) throw new Error(`the exercise's lab shape is invalid: topic ${failed.name}: ${failed.error.message}`);
      await runUntil(cluster, () => cluster.snapshot().topics.every((t) => t.partitions.every((p) => p.leader >= 0)));
    }
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
        this.cluster.advanceBy(step.ms);
        await settle(this.cluster, Promise.resolve());
        return { step: `advance ${step.ms} ms`, ok: true, output: '' };
    }
  }

  /** One terminal line, as typed; a line still running after the budget gets Ctrl-C. */
  async runLine(line: string): Promise<StepOutcome> {
    let output = '';
    const abort = new AbortController();
    const running = this.shell.execute(line, { write: (t) => (output += t), signal: abort.signal });
    let code: number;
    try {
      code = await settle(this.cluster, running, stepBudgetMs);
    } catch {
      abort.abort();
      code = await settle(this.cluster, running, 10_000).catch(() => 130);
    }
    return { step: `$ ${line}`, ok: code === 0, output };
  }

  async runProgram(file: string, program: LearnerProgram): Promise<StepOutcome> {
    const lines: string[] = [];
    const log = (...values: unknown[]) => lines.push(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' '));
    try {
      await settle(this.cluster, program(this.kafka(), log), stepBudgetMs);
      return { step: `run ${file}`, ok: true, output: lines.join('\n') };
    } catch (error) {
      lines.push(`error: ${(error as Error).message}`);
      return { step: `run ${file}`, ok: false, output: lines.join('\n') };
    }
  }

  /** What checks see: the same snapshot and trace (since start) a live lab shows. */
  view(): LabView {
    return { snapshot: this.cluster.snapshot(), events: this.cluster.events(), logDir: (brokerId) => this.cluster.logDir(brokerId) };
  }

  private controls(): LabControls {
    return {
      status: () => ['grading lab (fast-forward)'],
      time: {
        state: () => ({ paused: false, speed: 1, nowMs: this.cluster.nowMs() }),
        pause: () => {},
        resume: () => {},
        step: (ms: number) => this.cluster.advanceBy(ms),
        setSpeed: () => {},
      },
      // `broker add`: the engine starts the broker and resolves once it is registered and unfenced.
      addBroker: (options) => this.cluster.admin.addBroker(options.rack === undefined ? {} : { rack: options.rack }),
    };
  }
}

export function isReady(cluster: ClusterApi): boolean {
  const snapshot = cluster.snapshot();
  return snapshot.activeControllerId !== null && snapshot.brokers.every((b) => b.state === 'running');
}
