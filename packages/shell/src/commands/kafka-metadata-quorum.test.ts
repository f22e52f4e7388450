import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-metadata-quorum', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('describe --status prints the quorum summary', async () => {
    const { code, output } = await lab.run(`kafka-metadata-quorum ${BS} describe --status`);
    expect(code).toBe(0);
    const snapshot = lab.cluster.snapshot();
    const leader = snapshot.controllers.find((c) => c.id === snapshot.activeControllerId);
    const lines = output.trimEnd().split('\n');
    expect(lines).toEqual([
      `ClusterId:              ${snapshot.clusterId}`,
      `LeaderId:               ${leader?.id}`,
      `LeaderEpoch:            ${leader?.epoch}`,
      `HighWatermark:          ${leader?.highWatermark}`,
      expect.stringMatching(/^MaxFollowerLag: {9}\d+$/),
      expect.stringMatching(/^MaxFollowerLagTimeMs: {3}-?\d+$/),
      'CurrentVoters:          [{"id": 101}, {"id": 102}, {"id": 103}]',
      'CurrentObservers:       [{"id": 1}, {"id": 2}, {"id": 3}]',
    ]);
  });

  it('describe --replication lists the leader, followers and observers', async () => {
    const { code, output } = await lab.run(`kafka-metadata-quorum ${BS} describe --replication`);
    expect(code).toBe(0);
    const [header, ...rows] = output.trimEnd().split('\n');
    expect(header).toMatch(/^NodeId\tDirectoryId +\tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus +\t$/);
    expect(rows.map((r) => r.split('\t').map((c) => c.trim())[6])).toEqual(['Leader', 'Follower', 'Follower', 'Observer', 'Observer', 'Observer']);
    expect(rows[0]?.split('\t')[0]?.trim()).toBe(String(lab.cluster.snapshot().activeControllerId));
  });

  it('describe --replication reports fetch times from the quorum leader, or how long ago with --human-readable', async () => {
    lab.advance(3_000);
    const { output } = await lab.run(`kafka-metadata-quorum ${BS} describe --replication`);
    const followers = output.trimEnd().split('\n').slice(1).map((r) => r.split('\t').map((c) => c.trim())).filter((c) => c[6] === 'Follower');
    for (const cells of followers) expect(Number(cells[4])).toBeGreaterThan(0);
    const human = await lab.run(`kafka-metadata-quorum ${BS} describe --replication --human-readable`);
    expect(human.output).toMatch(/\t\d+ ms ago\s*\t\d+ ms ago\s*\tFollower/);
  });

  it('needs exactly one of --status and --replication', async () => {
    expect((await lab.run(`kafka-metadata-quorum ${BS} describe`)).output).toBe('One of --status or --replication must be specified with describe sub-command\nhint: add --status for a summary or --replication for every replica\n');
    expect((await lab.run(`kafka-metadata-quorum ${BS} describe --status --replication`)).output).toBe('Only one of --status or --replication should be specified with describe sub-command\n');
    expect((await lab.run(`kafka-metadata-quorum ${BS} describ --status`)).code).toBe(1);
  });
});
