/**
 * The shell's ports: what the host gives it (a cluster, optional lab controls) and how
 * it talks back (an output sink, a Ctrl-C signal, optional interactive stdin).
 */
import type { ClusterApi, CompressionCodecs, MultiCluster } from '@kil/engine';
import type { LabFiles } from './files';

/** Where a command writes and how the learner interrupts it. */
export interface ShellIO {
  /** Output text; lines end in '\n' (the terminal adapter converts to '\r\n'). */
  write(text: string): void;
  /** Aborted when the learner presses Ctrl-C. */
  signal: AbortSignal;
  /** Interactive stdin (kafka-console-producer); resolves null on Ctrl-D. */
  readLine?(): Promise<string | null>;
}

/** What a running lab can show about its own clock. */
export interface LabTimeState {
  readonly paused: boolean;
  /** Virtual milliseconds per real millisecond. */
  readonly speed: number;
  readonly nowMs: number;
}

export interface ConsumersRequest {
  readonly group: string;
  readonly topic: string;
  readonly count: number;
  readonly assignor?: 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';
  /** Static membership (group.instance.id), KIP-345. */
  readonly static?: boolean;
}

export interface ProducerRequest {
  readonly topic: string;
  /** Records per second of virtual time. */
  readonly rate: number;
  readonly acks?: 'all' | '1' | '0';
  readonly idempotent?: boolean;
  readonly transactionalId?: string;
}

export interface LabClientInfo {
  readonly name: string;
  readonly kind: 'producer' | 'consumer';
  /** One line, e.g. "group=payments topic=orders partitions=0,1" or "topic=orders acks=all 12 rec/s". */
  readonly description: string;
  readonly state: string;
}

/** The built-in producers and consumers a lab runs for the learner. */
export interface LabClients {
  startConsumers(request: ConsumersRequest): Promise<readonly string[]>;
  startProducer(request: ProducerRequest): Promise<string>;
  list(): readonly LabClientInfo[];
  /** Stops one client by name, or every client with 'all'; returns how many stopped. */
  stop(name: string): Promise<number>;
}

/**
 * Controls that belong to the lab host rather than to the cluster: its scheduler (time),
 * its lifecycle (reset) and its built-in clients. Every member is optional so a host can
 * grow into it; a command whose control is missing says so instead of failing obscurely.
 */
export interface LabControls {
  /** Free-form lines about the lab (name, scenario, idle eviction...), shown by `lab status`. */
  status?(): readonly string[];
  /** Rebuilds the lab from its starting shape (or a named scenario). */
  reset?(scenario?: string): Promise<void>;
  readonly time?: {
    state(): LabTimeState;
    pause(): void;
    resume(): void;
    /** Advances virtual time by `ms` while paused. */
    step(ms: number): void;
    setSpeed(speed: number): void;
    /**
     * Rebuilds the lab as it was right after trace event `seq` (the lab replays its recorded
     * inputs) and leaves the clock paused there. Returns null when done, or the lab's reason
     * for refusing (built-in clients ran, a two-cluster lab, an event older than the trace).
     */
    /** Rebuilds the lab right after event `seq`; null when done, else why not. A lab that replays async code answers with a promise. */
    rewind?(seq: number): string | null | Promise<string | null>;
  };
  readonly clients?: LabClients;
  /** Adds a broker with the next free id and returns that id. */
  addBroker?(options: { rack?: string }): Promise<number>;
}

export interface ShellContext {
  /** Read on every command, so a host may replace the cluster (for example on `lab reset`). */
  cluster: ClusterApi;
  lab?: LabControls;
  /** ANSI colour for errors and hints; off by default so transcripts stay plain text. */
  color?: boolean;
  /**
   * The lab's files (shared by every terminal of the lab). Absent: the shell keeps its own,
   * which then live as long as the Shell object.
   */
  files?: LabFiles;
  /**
   * Compression codecs the host can lend the console tools (the engine ships none; the lab
   * package has gzip, snappy, lz4 and zstd for Node). Absent: producers send uncompressed
   * batches and say so, consumers skip compressed batches and say so.
   */
  codecs?: CompressionCodecs;
  /**
   * Geo-replication labs: two regions (two clusters on one clock). `cluster` is then the
   * region the terminal's Kafka tools talk to; `mirror` and `region down|up` use this.
   */
  geo?: MultiCluster;
}
