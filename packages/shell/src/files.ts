/**
 * The lab's files: a small in-memory directory for the Kafka tools that read or write JSON
 * files (kafka-reassign-partitions, kafka-leader-election --path-to-json-file). One
 * LabFiles belongs to one lab, so every terminal of that lab sees the same files; nothing
 * touches a real disk. It is bounded in file count and size so a learner cannot grow a
 * lab without limit. Names are flat, like files in the directory Kafka's tools run from;
 * a leading `./` or `/tmp/` is accepted and dropped so that commands copied from Kafka's
 * documentation work unchanged.
 */
import { ShellError } from './errors';

export const MAX_FILES = 32;
export const MAX_FILE_BYTES = 64 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LabFileInfo {
  readonly name: string;
  readonly sizeBytes: number;
}

export class LabFiles {
  private readonly files = new Map<string, string>();

  /** `initial`: files the lab starts with (a module's prepared plans). */
  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [name, text] of Object.entries(initial)) this.write(name, text);
  }

  /** The stored name for what the learner typed, or a refusal that says what names look like. */
  static normalize(typed: string): string {
    const name = typed.replace(/^(\.\/|\/tmp\/)/, '');
    if (!NAME.test(name)) {
      throw new ShellError(`${typed}: not a valid lab file name`, 'use letters, digits, dots, dashes and underscores, e.g. reassign.json (there are no folders)');
    }
    return name;
  }

  list(): LabFileInfo[] {
    return [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ name, sizeBytes: byteLength(text) }));
  }

  has(typed: string): boolean {
    return this.files.has(LabFiles.normalize(typed));
  }

  /** The file's text; a missing file fails the way a missing file does in a terminal. */
  read(typed: string): string {
    const name = LabFiles.normalize(typed);
    const text = this.files.get(name);
    if (text === undefined) {
      const names = [...this.files.keys()];
      throw new ShellError(`${typed} (No such file or directory)`, names.length > 0 ? `files in this lab: ${names.join(', ')} (\`ls\`)` : 'this lab has no files yet; `write <file> \'<text>\'` creates one');
    }
    return text;
  }

  write(typed: string, text: string): void {
    const name = LabFiles.normalize(typed);
    if (byteLength(text) > MAX_FILE_BYTES) throw new ShellError(`${typed}: file too large (${byteLength(text)} bytes; a lab file holds at most ${MAX_FILE_BYTES})`);
    if (!this.files.has(name) && this.files.size >= MAX_FILES) throw new ShellError(`${typed}: no space left: a lab keeps at most ${MAX_FILES} files`, '`rm <file>` removes one');
    this.files.set(name, text);
  }

  remove(typed: string): void {
    this.read(typed);
    this.files.delete(LabFiles.normalize(typed));
  }
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Reads a lab file as JSON, with the parse error in the tool's words. */
export function readJsonFile(files: LabFiles, typed: string): unknown {
  const text = files.read(typed);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ShellError(`Unable to parse the JSON in ${typed}: ${(error as Error).message}`, `\`cat ${typed}\` shows what it holds; \`write ${typed} '<json>'\` replaces it`);
  }
}

/**
 * Files that module lessons expect to find in their lab, keyed by the module's slug. A host
 * passes `new LabFiles(LESSON_FILES[slug] ?? {})` when it builds the lab for that module.
 */
export const LESSON_FILES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '10-cluster-elasticity': {
    'topics.json': '{"version":1,"topics":[{"topic":"orders"}]}\n',
    'reassign.json':
      '{"version":1,"partitions":[\n' +
      '  {"topic":"orders","partition":0,"replicas":[4,1,2]},\n' +
      '  {"topic":"orders","partition":1,"replicas":[2,4,3]},\n' +
      '  {"topic":"orders","partition":2,"replicas":[3,1,4]},\n' +
      '  {"topic":"orders","partition":3,"replicas":[4,2,3]},\n' +
      '  {"topic":"orders","partition":4,"replicas":[1,4,2]},\n' +
      '  {"topic":"orders","partition":5,"replicas":[2,3,1]}\n' +
      ']}\n',
  },
};
