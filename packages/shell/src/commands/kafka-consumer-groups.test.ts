import { settle } from '@kil/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-consumer-groups', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-consumer-groups --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --describe`, 'Option [describe] takes one of these options: [all-groups], [group]'],
    [`${BS} --reset-offsets --group g --to-earliest --topic t`, 'Option [reset-offsets] takes the options [dry-run] or [execute]'],
    [`${BS} --list --describe`, 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets'],
    [`${BS} --reset-offsets --group g --to-earliest --dry-run`, 'Option [reset-offsets] takes one of these options: [all-topics], [topic]'],
    [`${BS} --reset-offsets --group g --topic t --dry-run`, 'Option [reset-offsets] takes exactly one of these options: [to-datetime], [by-duration], [to-earliest], [to-latest], [shift-by], [from-file], [to-current], [to-offset]'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-consumer-groups ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('lists, describes with LAG, resets and deletes a group that the console consumer created', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 2 --replication-factor 3`);
    await lab.run(`kafka-console-producer ${BS} --topic orders --property parse.key=true --property key.separator=: --message a:1 --message b:2 --message c:3 --message d:4 --message e:5`);
    const consumed = await lab.run(`kafka-console-consumer ${BS} --topic orders --group billing --from-beginning --max-messages 3`);
    expect(consumed.code).toBe(0);
    expect(consumed.output.trimEnd().split('\n')).toHaveLength(4);
    expect((await lab.run(`kafka-consumer-groups ${BS} --list`)).output).toBe('billing\n');
    const described = await lab.run(`kafka-consumer-groups ${BS} --describe --group billing`);
    expect(described.code).toBe(0);
    const lines = described.output.split('\n');
    expect(lines.slice(0, 3)).toEqual(['', "Consumer group 'billing' has no active members.", '']);
    expect(lines[3]).toMatch(/^GROUP +TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +CONSUMER-ID +HOST +CLIENT-ID$/);
    const rows = lines.slice(4).filter((l) => l !== '').map((l) => l.split(/ +/));
    const committed = rows.reduce((n, r) => n + Number(r[3] === '-' ? 0 : r[3]), 0);
    expect(committed).toBe(3);
    for (const r of rows.filter((row) => row[3] !== '-')) expect(Number(r[5])).toBe(Number(r[4]) - Number(r[3]));
    expect(rows.every((r) => r[0] === 'billing' && r[1] === 'orders' && r[6] === '-')).toBe(true);

    const dry = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --topic orders --to-earliest --dry-run`);
    expect(dry.output).toBe(
      '\n' +
        'GROUP                          TOPIC                          PARTITION  NEW-OFFSET\n' +
        'billing                        orders                         0          0\n' +
        'billing                        orders                         1          0\n',
    );
    const executed = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --topic orders:1 --to-offset 99 --execute`);
    expect(executed.code).toBe(0);
    expect(executed.output).toMatch(/^WARN: New offset \(99\) is higher than latest offset for topic partition orders-1\. Value will be set to \d+\n/);
    const again = await lab.run(`kafka-console-consumer ${BS} --topic orders --group billing --max-messages 5 --timeout-ms 3000`);
    expect(again.output).toMatch(/Processed a total of [0-2] messages\n$/);
    expect((await lab.run(`kafka-consumer-groups ${BS} --delete --group billing`)).output).toBe("Deletion of requested consumer groups ('billing') was successful.\n");
    expect((await lab.run(`kafka-consumer-groups ${BS} --describe --group billing`)).output).toMatch(/^Error: Consumer group 'billing' does not exist\.\n/);
  });

  it('shows members and state of an active group, and refuses to reset or delete it', async () => {
    const consumers = [1, 2].map((i) => lab.cluster.client.createConsumer({ groupId: 'live', topics: ['orders'], clientId: `c${i}` }));
    // A consumer takes part in its group while it polls, as Kafka's does.
    let polling = true;
    const pollLoop = async (c: (typeof consumers)[number]): Promise<void> => {
      while (polling) {
        await c.poll(200);
        await lab.cluster.sleep(50);
      }
    };
    for (const c of consumers) {
      c.start();
      void pollLoop(c);
    }
    await settle(lab.cluster, lab.cluster.sleep(10_000));
    const members = await lab.run(`kafka-consumer-groups ${BS} --describe --group live --members --verbose`);
    const [blank, header, ...rows] = members.output.trimEnd().split('\n');
    expect(blank).toBe('');
    expect(header).toMatch(/^GROUP +CONSUMER-ID +GROUP-INSTANCE-ID +HOST +CLIENT-ID +#PARTITIONS +ASSIGNMENT$/);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.split(/ +/)[5]).sort()).toEqual(['1', '1']);
    expect(rows.join('\n')).toMatch(/orders\(0\)/);
    const state = await lab.run(`kafka-consumer-groups ${BS} --describe --group live --state`);
    expect(state.output).toMatch(/^\nGROUP +COORDINATOR \(ID\) +ASSIGNMENT-STRATEGY +STATE +#MEMBERS\nlive +localhost:909\d \(\d\) +range +Stable +2\n$/);
    const reset = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group live --all-topics --to-earliest --execute`);
    expect(reset.code).toBe(1);
    expect(reset.output).toMatch(/^Assignments can only be reset if the group 'live' is inactive, but the current state is Stable\./);
    const del = await lab.run(`kafka-consumer-groups ${BS} --delete --group live`);
    expect(del.code).toBe(1);
    expect(del.output).toMatch(/^Error: Deletion of some consumer groups failed:\n\* Group 'live' could not be deleted due to: NON_EMPTY_GROUP/);
    expect((await lab.run(`kafka-consumer-groups ${BS} --list --state`)).output).toMatch(/^GROUP +STATE\nlive +Stable\n$/);
    polling = false;
    await settle(lab.cluster, Promise.all(consumers.map((c) => c.close())));
  });
});
