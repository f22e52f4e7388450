/**
 * The shape a lab starts in: how many brokers and controllers, racks, seeded topics and
 * broker overrides. Modules and exercises ask for a shape; "lab reset" returns to it.
 */
import type { NewTopic } from '@kil/engine';

export interface LabShape {
  readonly brokers: number;
  readonly controllers: number;
  readonly racks?: readonly string[];
  readonly topics?: readonly NewTopic[];
  readonly config?: Readonly<Record<string, string>>;
  readonly seed?: number;
  /** Files the lesson puts in the lab's file system (for tools that read JSON plans). */
  readonly files?: Readonly<Record<string, string>>;
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
  return { ...shape, brokers, controllers, topics };
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isInteger(value)) return min;
  return Math.min(max, Math.max(min, value));
}

export function describeShape(shape: LabShape): string {
  const topics = shape.topics?.length ? `, topics: ${shape.topics.map((t) => t.name).join(', ')}` : '';
  return `${shape.brokers} brokers, ${shape.controllers} controllers${topics}`;
}
