/**
 * Course content on disk: modules under content/modules/NN-slug/index.mdx and exercises
 * under exercises/NN-slug/README.mdx. Frontmatter is validated with zod; a broken file
 * fails the build with its path and the offending field named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';

export const viewKinds = [
  'cluster',
  'replication',
  'quorum',
  'group',
  'transactions',
  'compaction',
  'tiering',
  'request',
  'reassignment',
  'mirroring',
] as const;

const topicSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a legal Kafka topic name'),
    partitions: z.number().int().min(1).max(64),
    replicationFactor: z.number().int().min(1).max(6),
    configs: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * The second cluster of a geo-replication lab ("eu-west"; the first is "us-east"). Its
 * brokers listen on localhost:9192 and up, the first cluster's on localhost:9092 and up.
 */
const secondaryShapeSchema = z
  .object({
    brokers: z.number().int().min(1).max(6).default(3),
    controllers: z.number().int().min(1).max(5).default(3),
    racks: z.array(z.string().min(1)).optional(),
    topics: z.array(topicSchema).max(10).optional(),
    config: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((lab) => !lab.racks || lab.racks.length === lab.brokers, {
    message: 'racks must list one rack per broker',
    path: ['racks'],
  });

export const labShapeSchema = z
  .object({
    brokers: z.number().int().min(1).max(6).default(3),
    controllers: z.number().int().min(1).max(5).default(3),
    racks: z.array(z.string().min(1)).optional(),
    topics: z.array(topicSchema).max(10).optional(),
    config: z.record(z.string(), z.string()).optional(),
    view: z.enum(viewKinds).default('cluster'),
    /** 2: a geo-replication lab with a second cluster (default shape unless `secondary` says otherwise). */
    clusters: z.union([z.literal(1), z.literal(2)]).optional(),
    secondary: secondaryShapeSchema.optional(),
    /** One-way latency of the link between the two clusters, in ms (default 40). */
    linkLatencyMs: z.number().int().min(0).max(2000).optional(),
  })
  .strict()
  .refine((lab) => !lab.racks || lab.racks.length === lab.brokers, {
    message: 'racks must list one rack per broker',
    path: ['racks'],
  })
  .refine((lab) => !(lab.clusters === 1 && lab.secondary), {
    message: 'a lab with a secondary cluster has clusters: 2',
    path: ['clusters'],
  });

export const moduleFrontmatterSchema = z
  .object({
    title: z.string().min(3),
    order: z.number().int().min(1).max(99),
    summary: z.string().min(10),
    duration: z.number().int().min(5).max(600),
    objectives: z.array(z.string().min(5)).min(1).max(8),
    lab: labShapeSchema.optional(),
  })
  .strict();

export const exerciseFrontmatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(3),
    order: z.number().int().min(1).max(99),
    summary: z.string().min(10),
    duration: z.number().int().min(5).max(600),
    objectives: z.array(z.string().min(5)).min(1).max(8),
    after: z.string().optional(),
    lab: labShapeSchema.optional(),
  })
  .strict();

export type LabShapeFrontmatter = z.infer<typeof labShapeSchema>;

export interface ContentEntry<F> {
  readonly slug: string;
  readonly dir: string;
  readonly file: string;
  readonly frontmatter: F;
  readonly body: string;
}

export type ModuleEntry = ContentEntry<z.infer<typeof moduleFrontmatterSchema>>;
export type ExerciseEntry = ContentEntry<z.infer<typeof exerciseFrontmatterSchema>>;

export class ContentError extends Error {
  override name = 'ContentError';
}

/** The repository root: the nearest ancestor of cwd that has content/modules. */
export function repoRoot(start = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ start);
  for (;;) {
    if (existsSync(path.join(dir, 'content', 'modules'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new ContentError(`no content/modules folder above ${start}`);
    dir = parent;
  }
}

const folderPattern = /^(\d{2})-([a-z0-9-]+)$/;

function loadEntries<S extends z.ZodType<{ order: number }>>(
  base: string,
  fileName: string,
  schema: S,
): ContentEntry<z.infer<S>>[] {
  if (!existsSync(base)) return [];
  const entries: ContentEntry<z.infer<S>>[] = [];
  for (const folder of readdirSync(base).sort()) {
    const match = folderPattern.exec(folder);
    if (!match) continue;
    const file = path.join(base, folder, fileName);
    if (!existsSync(file)) throw new ContentError(`${file}: missing ${fileName}`);
    entries.push(parseEntry(file, match[2] ?? folder, schema));
  }
  checkUniqueOrder(entries);
  return entries.sort((a, b) => a.frontmatter.order - b.frontmatter.order);
}

export function parseEntry<S extends z.ZodTypeAny>(file: string, slug: string, schema: S): ContentEntry<z.infer<S>> {
  const source = readFileSync(file, 'utf8');
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(source);
  } catch (error) {
    throw new ContentError(`${file}: frontmatter is not valid YAML: ${(error as Error).message}`);
  }
  const result = schema.safeParse(parsed.data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || '(frontmatter)';
      return `  field "${field}": ${issue.message}`;
    });
    throw new ContentError(`${file}: invalid frontmatter\n${problems.join('\n')}`);
  }
  return { slug, dir: path.dirname(file), file, frontmatter: result.data, body: parsed.content };
}

function checkUniqueOrder(entries: readonly ContentEntry<{ order: number }>[]): void {
  const seen = new Map<number, string>();
  for (const entry of entries) {
    const other = seen.get(entry.frontmatter.order);
    if (other) throw new ContentError(`${entry.file}: field "order" ${entry.frontmatter.order} is also used by ${other}`);
    seen.set(entry.frontmatter.order, entry.file);
  }
}

export function loadModules(root = repoRoot()): ModuleEntry[] {
  return loadEntries(path.join(root, 'content', 'modules'), 'index.mdx', moduleFrontmatterSchema);
}

export function loadExercises(root = repoRoot()): ExerciseEntry[] {
  return loadEntries(path.join(root, 'exercises'), 'README.mdx', exerciseFrontmatterSchema);
}

export function findModule(slug: string): ModuleEntry | undefined {
  return loadModules().find((entry) => entry.slug === slug);
}

export function findExercise(slug: string): ExerciseEntry | undefined {
  return loadExercises().find((entry) => entry.slug === slug);
}

/** A lab shape for the gateway, keyed "module:<slug>" or "exercise:<slug>". */
export function labShapeFor(key: string): LabShapeFrontmatter | undefined {
  const [kind, slug] = key.split(':');
  if (!slug) return undefined;
  const entry = kind === 'module' ? findModule(slug) : kind === 'exercise' ? findExercise(slug) : undefined;
  return entry?.frontmatter.lab;
}
