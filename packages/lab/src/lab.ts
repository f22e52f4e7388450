/**
 * A Lab is one learner's live cluster: the engine Cluster, the real-time scheduler that
 * drives it, the shell that interprets terminal lines, and fan-out of snapshots and trace
 * events to the learner's open pages. It never evaluates learner code.
 */
import { Cluster, type ClusterApi, type ClusterOptions, type MultiCluster, type TraceEvent } from '@kil/engine';
import { LabFiles, Shell, type LabClients, type LabControls, type ShellContext } from '@kil/shell';
import { ClientHost, ClientOpError, errorBody, regionOfBootstrap, regionOfLine, runSetup, shellLineRunner, stepBudgetMs, type GeoRegion, type LabView } from '@kil/grader';
import type { LabInfo, ServerMessage, TimeAction } from './protocol';
import { syncNodeCodecs } from './storage';
import { RealTimeScheduler, systemClock, type WallClock } from './scheduler';
import { describeShape, isGeoShape, normalizeShape, type LabShape } from './shape';
import { bootGeo, geoSnapshot, geoUnreplayableReason } from './geo-lab';
import { fastForward, fastForwardUntil } from './fast-forward';
import { BuiltInClients } from './clients';
import { defaultLabListenerPorts, KafkaListeners, type KafkaListenerOptions } from './listeners';
import { boundedCluster, defaultLabLimits, LabLimiter } from './limits';
import { decodeRun, encodeRun, InputLog, Recorder, recordingClock, recordingCluster, replay, RecordingError, type RunRecord } from './recording';
import { RecordedClients, refusedClientReason, watchedLimiter } from './recorded-clients';

/** What advances time: a cluster, or both clusters of a geo lab. */
type Clock = Pick<ClusterApi, 'nowMs' | 'nextEventTimeMs' | 'advanceTo'>;

interface Running {
  readonly abort: AbortController;
  stdin: ((line: string | null) => void) | null;
  readonly queued: (string | null)[];
}

interface Terminal {
  readonly context: ShellContext;
  readonly shell: Shell;
  running: Running | null;
}

/** The terminal of callers that name none (tests, tools): its output goes to every page. */
const broadcastTerminal = {};

export interface LabListener {
  send(message: ServerMessage): void;
}

/** Minimum wall time between two snapshot pushes to one lab's listeners. */
const snapshotIntervalMs = 150;
const eventBatchMax = 200;
/** Client ops from learner code that may wait at once (a consumer's fetch waits up to its timeout). */
const clientInFlightMax = 32;
/**
 * How long a lab with no page attached keeps its clock running before it suspends
 * (docs/adr/0003-idle-labs-pause.md). Long enough to survive a page reload.
 */
export const labIdleGraceMs = 10_000;

export class Lab {
  readonly id: string;
  private shape: LabShape;
  /** The engine cluster itself: the scheduler advances it and pictures read it. */
  private cluster!: ClusterApi;
  /** The same cluster seen through the recorder: every command and client goes through it. */
  private facade!: ClusterApi;
  private clusterOptions!: ClusterOptions;
  private inputs = new InputLog();
  /** Writes the lab's inputs (facade calls, clock stops, client commands) into `inputs`. */
  private recorder!: Recorder;
  private scheduler!: RealTimeScheduler;
  private shell!: Shell;
  private context: ShellContext | null = null;
  /** The lab's files as the shape and its set-up left them; `lab reset` starts from them again. */
  private bootFiles: LabFiles | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<LabListener>();
  private pendingEvents: TraceEvent[] = [];
  private disposeCallbacks: (() => void)[] = [];
  private snapshotTimer: (() => void) | null = null;
  /** One shell per open terminal, so two terminals on one lab run commands side by side. */
  private readonly terminals = new Map<object, Terminal>();
  private startedInMs = 0;
  /** A geo-replication lab's two regions (`cluster` is then the primary), or null. */
  private geo: MultiCluster | null = null;
  /** The geo lab's secondary region, behind the same limits as the primary. */
  private secondaryFacade: ClusterApi | null = null;
  /** Answers learner code's client ops; reads `this.cluster` per request, so it survives a reset. */
  private readonly clientHost = new ClientHost(() => this.facade, (servers) => this.facadeOf(regionOfBootstrap(servers)));
  /**
   * The built-in producers and consumers of the current cluster. They bypass the recorder
   * (their command is what is recorded) but not the limits; a rewind adopts the clients
   * its replay restarted.
   */
  private builtInClients: LabClients = this.freshClients();
  /** The cluster behind the limits, without the recorder: what built-in clients drive. */
  private clientsFacade!: ClusterApi;
  /** The shell's `clients` command: records each command, then runs it. */
  private readonly recordedClients = new RecordedClients(() => ({ clients: this.builtInClients, recorder: this.recorder }));
  /** A rewind or a reopened link that is being rebuilt, so that a second one waits for it. */
  private rebuilding: Promise<unknown> = Promise.resolve();
  private clientInFlight = 0;
  private idleTimer: (() => void) | null = null;
  lastActiveWallMs: number;

  private constructor(id: string, shape: LabShape, private readonly wall: WallClock) {
    this.id = id;
    this.shape = shape;
    this.lastActiveWallMs = wall.nowMs();
  }

  static async start(id: string, shape?: Partial<LabShape>, wall: WallClock = systemClock): Promise<Lab> {
    const lab = new Lab(id, normalizeShape(shape), wall);
    await lab.boot();
    return lab;
  }

  /** A lab reopened at the moment a shared link names: same options, same inputs, paused. */
  static async fromRunLink(id: string, link: string, wall: WallClock = systemClock): Promise<Lab> {
    const run = decodeRun(link);
    const options = run.options;
    const lab = new Lab(
      id,
      normalizeShape({ brokers: options.brokers, controllers: options.controllers, seed: options.seed, config: options.config, racks: options.racks?.filter((r): r is string => r !== null) }),
      wall,
    );
    await lab.bootFromRun(run);
    return lab;
  }

  info(): LabInfo {
    return {
      labId: this.id,
      brokers: this.shape.brokers,
      controllers: this.shape.controllers,
      startedInMs: this.startedInMs,
      shape: describeShape(this.shape),
    };
  }

  commandNames(): string[] {
    return this.shell.commandNames();
  }

  get clusterApi(): ClusterApi {
    return this.cluster;
  }

  private kafkaListeners: KafkaListeners | null = null;

  /**
   * Opens Kafka TCP listeners (one per broker, on 127.0.0.1 and ports from a bounded range)
   * so that real clients such as kcat or kafkajs can join the lab. Off until asked; closed
   * with the lab. A client's request counts as activity and wakes a suspended clock.
   */
  async enableKafkaListeners(options: KafkaListenerOptions = {}): Promise<KafkaListeners> {
    if (this.kafkaListeners !== null) return this.kafkaListeners;
    // Through the recorder, so a shared run link replays what real clients did too.
    const listeners = await KafkaListeners.start(() => this.facade, {
      ports: defaultLabListenerPorts,
      ...options,
      onWork: () => {
        this.wake();
        this.scheduler.poke();
      },
    });
    this.kafkaListeners = listeners;
    this.disposeCallbacks.push(() => void listeners.close());
    return listeners;
  }

  private async boot(): Promise<void> {
    const started = this.wall.nowMs();
    this.clusterOptions = {
      seed: this.shape.seed ?? 1,
      brokers: this.shape.brokers,
      controllers: this.shape.controllers,
      racks: this.shape.racks,
      config: this.shape.config,
    };
    this.inputs = new InputLog();
    this.builtInClients = this.freshClients();
    if (isGeoShape(this.shape)) {
      this.inputs.markUnreplayable(geoUnreplayableReason);
      this.geo = await bootGeo(this.clusterOptions, this.shape, readiness);
      await this.applySetup(this.geo, this.geo.primary, this.geo);
      this.install(this.geo.primary, false, new Recorder(this.geo.primary, this.inputs));
      this.startedInMs = this.wall.nowMs() - started;
      return;
    }
    this.geo = null;
    const cluster = new Cluster(this.clusterOptions);
    const recorder = new Recorder(cluster, this.inputs);
    const facade = recordingCluster(cluster, recorder);
    // Every advance is recorded from the first one: a replay stops where this run stopped.
    const clock = recordingClock(cluster, recorder);
    await fastForwardUntil(clock, readiness(cluster));
    if (this.shape.topics?.length) {
      await fastForward(clock, facade.admin.createTopics(this.shape.topics));
      await fastForwardUntil(clock, () => topicsHaveLeaders(cluster));
    }
    // Through the recorder, so that a rewind or a shared run link replays the set-up too.
    await this.applySetup(clock, facade);
    this.install(cluster, false, recorder);
    this.startedInMs = this.wall.nowMs() - started;
  }

  /**
   * The exercise's set-up lines (shape `setup`), run on the fresh cluster before anyone
   * sees it, through the grader's own `runSetup`: the live lab and the grading lab start
   * from the same state. Their files (plans written with `write`) stay in the lab.
   */
  private async applySetup(clock: Clock, cluster: ClusterApi, geo?: MultiCluster): Promise<void> {
    this.bootFiles = new LabFiles(this.shape.files ?? {});
    const setup = this.shape.setup ?? [];
    if (setup.length === 0) return;
    const context: ShellContext = { cluster, files: this.bootFiles, codecs: syncNodeCodecs, lab: { addBroker: (o) => cluster.admin.addBroker(o) }, ...(geo ? { geo } : {}) };
    const run = shellLineRunner(new Shell(context), (running) => fastForward(clock, running, stepBudgetMs));
    await runSetup(setup, (line) => {
      // As in a terminal of a geo lab: the line goes to the region its --bootstrap-server names.
      context.cluster = geo && regionOfLine(line) === 'secondary' ? geo.secondary : cluster;
      return run(line);
    });
  }

  private async bootFromRun(run: RunRecord): Promise<void> {
    const started = this.wall.nowMs();
    this.clusterOptions = run.options;
    this.inputs = InputLog.from(run.calls);
    const rebuilt = await replay(run.options, run.calls, run.atMs, undefined, (cluster) => this.clientsOn(cluster));
    this.builtInClients = rebuilt.clients ?? this.freshClients();
    this.install(rebuilt.cluster, true, new Recorder(rebuilt.cluster, this.inputs));
    this.startedInMs = this.wall.nowMs() - started;
  }

  /** Built-in clients for the lab's cluster as it is now (their names start again at 1). */
  private freshClients(): LabClients {
    return new BuiltInClients(() => this.clientsFacade, () => this.cluster);
  }

  /**
   * Built-in clients for a cluster a replay is rebuilding: on the bare cluster while it is
   * rebuilt, behind the limits once the lab has adopted it.
   */
  private clientsOn(cluster: Cluster): LabClients {
    return new BuiltInClients(() => (this.cluster === cluster ? this.clientsFacade : cluster), () => cluster);
  }

  /** Make `cluster` the lab's cluster: recorder, shell, trace fan-out and scheduler. */
  private install(cluster: ClusterApi, paused: boolean, recorder: Recorder): void {
    this.cluster = cluster;
    this.recorder = recorder;
    const limiter = new LabLimiter(cluster, defaultLabLimits, this.wall);
    // Limits sit outside the recorder: a refused call changed nothing, so it is not replayed.
    this.facade = boundedCluster(recordingCluster(cluster, recorder), limiter);
    this.clientsFacade = boundedCluster(cluster, watchedLimiter(limiter, () => this.inputs.markUnreplayable(refusedClientReason)));
    const secondary = this.geo?.secondary ?? null;
    this.secondaryFacade = secondary === null ? null : boundedCluster(secondary, new LabLimiter(secondary, defaultLabLimits, this.wall));
    if (this.context) {
      this.context.cluster = this.facade;
      this.context.geo = this.geo ?? undefined;
      for (const state of this.terminals.values()) {
        state.context.cluster = this.facade;
        state.context.geo = this.context.geo;
      }
    } else {
      this.context = {
        cluster: this.facade,
        lab: this.controls(),
        color: true,
        files: this.bootFiles ?? new LabFiles(this.shape.files ?? {}),
        codecs: syncNodeCodecs,
        ...(this.geo ? { geo: this.geo } : {}),
      };
      this.shell = new Shell(this.context);
    }
    this.unsubscribe = cluster.onEvent((event) => this.onEvent(event));
    // A geo lab's scheduler drives both regions on their one clock; a single cluster's
    // scheduler records where it stops the clock, because a replay must stop there too.
    this.scheduler = new RealTimeScheduler(this.geo ?? recordingClock(cluster, recorder), this.wall, () => this.scheduleSnapshot());
    if (paused) this.scheduler.pause();
    this.armIdle();
  }

  /**
   * Go back to the moment of trace event `seq`: rebuild the cluster by replaying the
   * recorded inputs up to the clock stop right after that event, with the built-in clients
   * the run had started then. The lab stays paused there; acting from there starts a new
   * branch (later inputs are forgotten). Resolves to null, or to the reason for refusing.
   */
  rewind(seq: number): Promise<string | null> {
    const run = this.rebuilding.then(() => this.rewindNow(seq)).catch(() => 'The lab could not be rebuilt at that moment.');
    this.rebuilding = run;
    return run;
  }

  private async rewindNow(seq: number): Promise<string | null> {
    this.lastActiveWallMs = this.wall.nowMs();
    const event = this.cluster.events().find((e) => e.seq === seq);
    if (!event) return 'That moment is older than the trace the lab keeps; pick a later event.';
    if (!this.inputs.replayable) return this.inputs.reason ?? 'This lab cannot be rewound.';
    // The clock stands still while the past is rebuilt, so no new input races the replay.
    this.scheduler.pause();
    this.interrupt();
    const calls = this.inputs.calls;
    let rebuilt: Awaited<ReturnType<typeof replay>>;
    try {
      rebuilt = await replay(this.clusterOptions, calls, event.timeMs, event.seq, (cluster) => this.clientsOn(cluster));
    } catch (error) {
      return error instanceof RecordingError ? error.message : 'The lab could not be rebuilt at that moment.';
    }
    this.teardown();
    this.inputs = InputLog.from(calls);
    this.inputs.truncateAfter(event.seq);
    this.builtInClients = rebuilt.clients ?? this.freshClients();
    this.install(rebuilt.cluster, true, new Recorder(rebuilt.cluster, this.inputs));
    this.broadcast({ t: 'events', events: rebuilt.cluster.events().slice(-eventBatchMax), reset: true });
    this.broadcast(this.snapshotMessage());
    return null;
  }

  /** A link payload that reopens this lab at its current moment (options and inputs). */
  shareLink(): string {
    if (!this.inputs.replayable) throw new RecordingError(this.inputs.reason ?? 'This lab cannot be shared.');
    return encodeRun({ version: 1, options: this.clusterOptions, calls: this.inputs.calls, atMs: this.cluster.nowMs() });
  }

  attach(listener: LabListener): () => void {
    this.listeners.add(listener);
    this.wake();
    listener.send({ t: 'hello', lab: this.info(), commands: this.commandNames() });
    listener.send(this.snapshotMessage());
    return () => {
      this.listeners.delete(listener);
      this.armIdle();
    };
  }

  /** True while the lab's clock is stopped because no page has been attached for a while. */
  get suspended(): boolean {
    return this.scheduler.isSuspended;
  }

  /** Run `fn` when the lab is disposed (evicted or replaced), so its sockets can close. */
  onDispose(fn: () => void): void {
    this.disposeCallbacks.push(fn);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Run one line in `terminal`'s shell (each open page has its own; without one, output
   * goes to every page). Output and the `done` reply go to that terminal only.
   */
  async exec(id: number, line: string, terminal?: LabListener): Promise<void> {
    this.wake();
    const send = terminal ? (m: ServerMessage) => terminal.send(m) : (m: ServerMessage) => this.broadcast(m);
    const state = this.terminalFor(terminal ?? broadcastTerminal);
    if (state.running) {
      send({ t: 'out', text: 'A command is still running in this terminal; press Ctrl-C to stop it first.\n' });
      send({ t: 'done', id, code: 1 });
      return;
    }
    const abort = new AbortController();
    const running: Running = { abort, stdin: null, queued: [] };
    state.running = running;
    let code = 1;
    // In a geo lab the line talks to the region its --bootstrap-server names (primary by default).
    if (this.geo) state.context.cluster = this.facadeOf(regionOfLine(line));
    try {
      code = await state.shell.execute(line, {
        write: (text) => send({ t: 'out', text }),
        signal: abort.signal,
        readLine: () => this.readLine(running),
      });
    } catch (error) {
      send({ t: 'out', text: `Internal error: ${(error as Error).message}\n` });
    } finally {
      state.context.cluster = this.facade;
      state.running = null;
      this.scheduler.poke();
      this.scheduleSnapshot();
      this.armIdle();
    }
    send({ t: 'done', id, code });
  }

  private terminalFor(key: object): Terminal {
    let state = this.terminals.get(key);
    if (!state) {
      const template = this.context;
      if (!template) throw new Error('lab is not started');
      const context: ShellContext = { ...template, cluster: this.facade };
      state = { context, shell: new Shell(context), running: null };
      this.terminals.set(key, state);
    }
    return state;
  }

  /** A page went away: stop what its terminal was running and forget it. */
  closeTerminal(terminal: LabListener): void {
    this.interrupt(terminal);
    this.terminals.delete(terminal);
  }

  private get anyRunning(): boolean {
    for (const state of this.terminals.values()) if (state.running) return true;
    return false;
  }

  /** What exercise checks read: the snapshot and the trace since the lab (re)started. */
  view(): LabView {
    const cluster = this.cluster;
    const view: LabView = { snapshot: cluster.snapshot(), events: cluster.events(), logDir: (id: number) => cluster.logDir(id) };
    const geo = this.geo;
    if (!geo) return view;
    return { ...view, secondary: { alias: geo.secondaryAlias, snapshot: geo.secondary.snapshot(), events: geo.secondary.events() } };
  }

  /** The (limited) facade of a region: the secondary's in a geo lab, else the lab's cluster. */
  private facadeOf(region: GeoRegion): ClusterApi {
    return region === 'secondary' && this.secondaryFacade !== null ? this.secondaryFacade : this.facade;
  }

  /** One client op from learner code; at most `clientInFlightMax` run at once per lab. */
  async client(id: number, op: string, args: Readonly<Record<string, unknown>>): Promise<ServerMessage> {
    this.wake();
    if (this.clientInFlight >= clientInFlightMax) {
      return { t: 'client-result', id, ok: false, error: { code: 'THROTTLING_QUOTA_EXCEEDED', message: `More than ${clientInFlightMax} client requests are waiting.`, suggestion: 'await each request before sending the next' } };
    }
    this.clientInFlight++;
    try {
      const pending = this.clientHost.handle(op, args);
      this.scheduler.poke();
      return { t: 'client-result', id, ok: true, value: (await pending) ?? null };
    } catch (error) {
      return { t: 'client-result', id, ok: false, error: error instanceof ClientOpError ? error.body : errorBody(error) };
    } finally {
      this.clientInFlight--;
      this.scheduleSnapshot();
    }
  }

  /** Ctrl-C in `terminal` (every terminal when none is named). */
  interrupt(terminal?: LabListener): void {
    const states = terminal ? [this.terminals.get(terminal)] : [...this.terminals.values()];
    for (const state of states) {
      state?.running?.abort.abort();
      state?.running?.stdin?.(null);
    }
  }

  stdin(line: string | null, terminal?: LabListener): void {
    const running = this.terminals.get(terminal ?? broadcastTerminal)?.running;
    if (!running) return;
    if (running.stdin) {
      const resolve = running.stdin;
      running.stdin = null;
      resolve(line);
    } else if (running.queued.length < 1000) {
      running.queued.push(line);
    }
  }

  private readLine(running: Running): Promise<string | null> {
    if (running.queued.length > 0) return Promise.resolve(running.queued.shift() ?? null);
    if (running.abort.signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => (running.stdin = resolve));
  }

  time(action: TimeAction): void {
    this.wake();
    switch (action.action) {
      case 'pause':
        this.scheduler.pause();
        break;
      case 'resume':
        this.scheduler.resume();
        break;
      case 'step':
        this.scheduler.step(action.ms);
        break;
      case 'speed':
        this.scheduler.setSpeed(action.speed);
        break;
      case 'rewind': {
        void this.rewind(action.seq).then((problem) => {
          if (problem) this.broadcast({ t: 'error', message: problem });
        });
        return;
      }
    }
    this.scheduleSnapshot();
  }

  /** Rebuild the cluster from the lab's starting shape; open pages stay attached. */
  async reset(): Promise<void> {
    this.teardown();
    await this.boot();
    // The lesson's files come back as the shape and its set-up left them, too.
    if (this.context) {
      const files = this.bootFiles ?? new LabFiles(this.shape.files ?? {});
      this.context.files = files;
      for (const state of this.terminals.values()) state.context.files = files;
    }
    for (const listener of this.listeners) {
      listener.send({ t: 'hello', lab: this.info(), commands: this.commandNames() });
    }
    this.scheduleSnapshot();
  }

  dispose(): void {
    this.interrupt();
    this.teardown();
    this.listeners.clear();
    for (const fn of this.disposeCallbacks.splice(0)) fn();
  }

  /** The learner is here: note the activity and restart a suspended clock. */
  private wake(): void {
    this.lastActiveWallMs = this.wall.nowMs();
    this.idleTimer?.();
    this.idleTimer = null;
    this.scheduler.unsuspend();
  }

  /**
   * With no page attached, suspend the clock after a grace period. A running command or
   * a pending client request keeps it going, because each waits on virtual time.
   */
  private armIdle(): void {
    if (this.listeners.size > 0 || this.idleTimer) return;
    this.idleTimer = this.wall.setTimer(labIdleGraceMs, () => {
      this.idleTimer = null;
      if (this.listeners.size > 0) return;
      if (this.anyRunning || this.clientInFlight > 0) return this.armIdle();
      this.scheduler.suspend();
    });
  }

  private teardown(): void {
    this.idleTimer?.();
    this.idleTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.scheduler?.dispose();
    this.snapshotTimer?.();
    this.snapshotTimer = null;
    this.pendingEvents = [];
  }

  private controls(): LabControls {
    const time = {
      state: () => {
        const time = this.scheduler.state();
        return { paused: time.paused, speed: time.speed, nowMs: time.virtualTimeMs };
      },
      pause: () => this.scheduler.pause(),
      resume: () => this.scheduler.resume(),
      step: (ms: number) => this.scheduler.step(ms),
      setSpeed: (speed: number) => this.scheduler.setSpeed(speed),
      // The terminal's `time rewind`: the same replay as the pages' time travel (async,
      // because replaying the built-in clients lets their promise continuations run).
      rewind: (seq: number) => this.rewind(seq),
    };
    return {
      addBroker: (options: { rack?: string }) => this.facade.admin.addBroker(options),
      clients: this.recordedClients,
      status: () => {
        const time = this.scheduler.state();
        return [
          `lab: ${this.id}`,
          `shape: ${describeShape(this.shape)}`,
          `started in: ${this.startedInMs.toFixed(1)} ms`,
          `clock: ${(time.virtualTimeMs / 1000).toFixed(1)} s of lab time${time.paused ? ' (paused)' : ''}${this.scheduler.isSuspended ? ' (stopped: no page open)' : ''}, speed ${time.speed}x`,
          `pages attached: ${this.listeners.size}`,
        ];
      },
      reset: () => this.reset(),
      time,
    };
  }

  private onEvent(event: TraceEvent): void {
    if (this.listeners.size === 0) return;
    if (this.pendingEvents.length >= eventBatchMax) this.pendingEvents.shift();
    this.pendingEvents.push(event);
  }

  private scheduleSnapshot(): void {
    if (this.snapshotTimer || this.listeners.size === 0) return;
    this.snapshotTimer = this.wall.setTimer(snapshotIntervalMs, () => {
      this.snapshotTimer = null;
      this.flush();
    });
  }

  private flush(): void {
    if (this.listeners.size === 0) return;
    if (this.pendingEvents.length > 0) {
      this.broadcast({ t: 'events', events: this.pendingEvents });
      this.pendingEvents = [];
    }
    this.broadcast(this.snapshotMessage());
  }

  private snapshotMessage(): ServerMessage {
    const state = this.scheduler.state();
    const message = { t: 'snapshot' as const, snapshot: this.cluster.snapshot(), paused: state.paused, speed: state.speed };
    return this.geo ? { ...message, secondary: geoSnapshot(this.geo) } : message;
  }

  private broadcast(message: ServerMessage): void {
    for (const listener of this.listeners) listener.send(message);
  }
}

/**
 * Ready: a quorum leader, every broker running, and every broker's metadata image caught
 * up with the quorum's high watermark (clients believe whichever broker they ask first).
 * It reads the snapshot only: a probe request would itself become simulated traffic that
 * a replay of the recorded inputs would not repeat.
 */
function readiness(cluster: ClusterApi): () => boolean {
  return () => {
    const snapshot = cluster.snapshot();
    const leader = snapshot.controllers.find((c) => c.id === snapshot.activeControllerId);
    if (!leader) return false;
    return snapshot.brokers.every((b) => b.state === 'running' && b.metadataOffset >= leader.highWatermark - 1);
  };
}

function topicsHaveLeaders(cluster: ClusterApi): boolean {
  return cluster
    .snapshot()
    .topics.every((topic) => topic.partitions.every((p) => p.leader !== -1));
}
