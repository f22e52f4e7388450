import { describe, expect, it } from 'vitest';
import { GraderLab } from './grader-lab';
import { runSetup, SetupError, setupLimits } from './setup';

describe('runSetup', () => {
  it('runs every line in order and stops at the first that fails, with its output', async () => {
    const ran: string[] = [];
    const runLine = async (line: string) => {
      ran.push(line);
      return { ok: line !== 'bad', output: line === 'bad' ? 'no such command\n' : '' };
    };
    const failure = await runSetup(['one', 'bad', 'never'], runLine).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SetupError);
    expect((failure as SetupError).line).toBe('bad');
    expect((failure as SetupError).output).toBe('no such command\n');
    expect(ran).toEqual(['one', 'bad']);
  });

  it('refuses a set-up larger than a lab takes before running any of it', async () => {
    const ran: string[] = [];
    const lines = Array.from({ length: setupLimits.linesMax + 1 }, (_, i) => `line ${i}`);
    await expect(runSetup(lines, async (line) => (ran.push(line), { ok: true, output: '' }))).rejects.toThrow(`at most ${setupLimits.linesMax} lines`);
    expect(ran).toEqual([]);
  });

  it("builds the grading lab's starting state from terminal lines", async () => {
    const lab = await GraderLab.start({ brokers: 1, controllers: 1 });
    await runSetup(
      ['kafka-topics --bootstrap-server localhost:9092 --create --topic seeded --partitions 1 --replication-factor 1', 'kafka-console-producer --bootstrap-server localhost:9092 --topic seeded --message a --message b'],
      (line) => lab.runLine(line),
    );
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'seeded')?.partitions[0]?.highWatermark).toBe(2);
  });
});
