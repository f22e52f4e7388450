/**
 * The shape a lab starts in: how many brokers and controllers, racks, seeded topics and
 * broker overrides. Modules and exercises ask for a shape; "lab reset" returns to it.
 * A geo-replication shape (`clusters: 2` or `secondary`) adds a second cluster: the
 * primary region us-east listens on localhost:9092 and up, the secondary eu-west on
 * localhost:9192 and up, joined by a link of `linkLatencyMs`.
 */
import type { NewTopic } from '@kil/engine';
import { geoRegions, type ExerciseManifest } from '@kil/grader';

export { geoRegions };

export interface LabShape {
  readonly brokers: number;
  readonly controllers: number;
  readonly racks?: readonly string[];
  readonly topics?: readonly NewTopic[];
  readonly config?: Readonly<Record<string, string>>;
  readonly seed?: number;
  /**
   * Terminal lines run on the fresh lab, in order, when it starts and on `lab reset`: an
   * exercise manifest's `setup`, run exactly as the grading lab runs it.
   */
  readonly setup?: readonly string[];
  /** Files the lesson puts in the lab's file system (for tools that read JSON plans). */
  readonly files?: Readonly<Record<string, string>>;
  /** 2: a geo-replication lab, two clusters on one clock (see `secondary`). */
  readonly clusters?: 1 | 2;
  /** The second cluster of a geo lab; giving it implies `clusters: 2`. */
  readonly secondary?: SecondaryShape;
  /** One-way latency of the link between the two clusters, in virtual ms (default 40). */
  readonly linkLatencyMs?: number;
}

/** The second cluster of a geo lab ("eu-west"). */
export interface SecondaryShape {
  readonly brokers?: number;
  readonly controllers?: number;
  readonly racks?: readonly string[];
  readonly topics?: readonly NewTopic[];
  readonly config?: Readonly<Record<string, string>>;
}

export const linkLatencyMsMax = 2_000;

/**
 * The live lab of an exercise: the manifest's lab shape and its set-up, so the lab a
 * learner works in starts where the grading lab starts.
 */
export function exerciseLabShape(manifest: ExerciseManifest): Partial<LabShape> {
  const lab = manifest.lab;
  return {
    ...(lab.brokers !== undefined ? { brokers: lab.brokers } : {}),
    ...(lab.controllers !== undefined ? { controllers: lab.controllers } : {}),
    ...(lab.racks ? { racks: lab.racks } : {}),
    ...(lab.topics ? { topics: lab.topics } : {}),
    ...(lab.config ? { config: lab.config } : {}),
    ...(lab.seed !== undefined ? { seed: lab.seed } : {}),
    ...(lab.clusters !== undefined ? { clusters: lab.clusters } : {}),
    ...(lab.secondary ? { secondary: lab.secondary } : {}),
    ...(lab.linkLatencyMs !== undefined ? { linkLatencyMs: lab.linkLatencyMs } : {}),
    setup: manifest.setup,
  };
}

export function isGeoShape(shape: Partial<LabShape>): boolean {
  return shape.clusters === 2 || shape.secondary !== undefined;
}

export const defaultShape: LabShape = { brokers: 3, controllers: 3 };

/** Bounds that keep one learner's lab from taking the box. */
export const shapeLimits = {
  brokersMax: 6,
  controllersMax: 5,
  seededTopicsMax: 10,
} as const;

export function normalizeShape(shape: Partial<LabShape> | undefined): LabShape {
  const brokers = clampInt(shape?.brokers ?? 3, 1, shapeLimits.brokersMax);
  const controllers = clampInt(shape?.controllers ?? 3, 1, shapeLimits.controllersMax);
  const topics = (shape?.topics ?? []).slice(0, shapeLimits.seededTopicsMax);
  const normalized: LabShape = { ...shape, brokers, controllers, topics };
  if (!isGeoShape(normalized)) return normalized;
  const second = shape?.secondary ?? {};
  const secondary: SecondaryShape = {
    ...second,
    brokers: clampInt(second.brokers ?? 3, 1, shapeLimits.brokersMax),
    controllers: clampInt(second.controllers ?? 3, 1, shapeLimits.controllersMax),
    topics: (second.topics ?? []).slice(0, shapeLimits.seededTopicsMax),
  };
  return { ...normalized, clusters: 2, secondary, linkLatencyMs: clampInt(shape?.linkLatencyMs ?? 40, 0, linkLatencyMsMax) };
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isInteger(value)) return min;
  return Math.min(max, Math.max(min, value));
}

export function describeShape(shape: LabShape): string {
  const topics = shape.topics?.length ? `, topics: ${shape.topics.map((t) => t.name).join(', ')}` : '';
  const one = `${shape.brokers} brokers, ${shape.controllers} controllers${topics}`;
  if (!isGeoShape(shape)) return one;
  const s = shape.secondary ?? {};
  return `${geoRegions.primary.alias}: ${one}; ${geoRegions.secondary.alias}: ${s.brokers ?? 3} brokers, ${s.controllers ?? 3} controllers; link ${shape.linkLatencyMs ?? 40} ms`;
}
