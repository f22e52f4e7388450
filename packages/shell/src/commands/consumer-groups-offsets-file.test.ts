import { settle } from '@kil/engine';
import { describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

/** A lab with topics orders (2 partitions, 5 records) and audit (1 partition), and an empty group billing. */
async function labWithGroup(): Promise<TestLab> {
  const lab = await newTestLab();
  await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 2 --replication-factor 3`);
  await lab.run(`kafka-topics ${BS} --create --topic audit --partitions 1 --replication-factor 3`);
  await lab.run(`kafka-console-producer ${BS} --topic orders --property parse.key=true --property key.separator=: --message a:1 --message b:2 --message c:3 --message d:4 --message e:5`);
  const reset = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --topic orders --topic audit --to-earliest --execute`);
  expect(reset.code).toBe(0);
  return lab;
}

describe('kafka-consumer-groups --reset-offsets --from-file / --export', () => {
  it('exports a plan as CSV that --from-file reads back and applies', async () => {
    const lab = await labWithGroup();
    const exported = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --topic orders --to-latest --dry-run --export`);
    expect(exported.code).toBe(0);
    const lines = exported.output.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) expect(line).toMatch(new RegExp(`^orders,${i},\\d+$`));
    // The lab's `write` takes one line, so entries may be separated by spaces.
    await lab.run(`write plan.csv '${lines.join(' ')}'`);
    const applied = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file plan.csv --execute`);
    expect(applied.code).toBe(0);
    expect(applied.output).toContain(`billing                        orders                         0          ${lines[0]?.split(',')[2]}`);
    const offsets = await settle(lab.cluster, lab.cluster.admin.listConsumerGroupOffsets('billing'));
    expect(offsets.filter((o) => o.topic === 'orders').map((o) => `orders,${o.partition},${o.committedOffset}`)).toEqual(lines);
  });

  it('reads files with one entry per line, and names the file and line of a bad entry', async () => {
    const lab = await labWithGroup();
    lab.files.write('plan.csv', 'orders,0,1\norders,1,2\n');
    const dry = await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file plan.csv --dry-run`);
    // Partition 1 holds one record, so offset 2 is past its end and moves back, as Kafka warns.
    expect(dry.output).toBe(
      'WARN: New offset (2) is higher than latest offset for topic partition orders-1. Value will be set to 1\n' +
        '\nGROUP                          TOPIC                          PARTITION  NEW-OFFSET\n' +
        'billing                        orders                         0          1\n' +
        'billing                        orders                         1          1\n',
    );
    lab.files.write('bad.csv', 'orders,0,1\norders,one,2\n');
    expect(await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file bad.csv --dry-run`)).toEqual({
      code: 1,
      output: "bad.csv line 2: 'orders,one,2' is not topic,partition,offset\nhint: one entry per line (or separated by spaces), e.g. orders,0,42; `--export` prints a plan in this shape\n",
    });
    lab.files.write('bad.csv', 'orders,0,1\n\norders,9,2\n');
    expect((await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file bad.csv --dry-run`)).output).toBe('bad.csv line 3: topic orders has no partition 9 (it has 2).\n');
    lab.files.write('bad.csv', 'nope,0,1\n');
    expect((await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file bad.csv --dry-run`)).output).toMatch(/^bad\.csv line 1: topic nope does not exist\.\n/);
    expect((await lab.run(`kafka-consumer-groups ${BS} --reset-offsets --group billing --from-file missing.csv --dry-run`)).output).toMatch(/^missing\.csv \(No such file or directory\)\n/);
    expect((await lab.run(`kafka-consumer-groups ${BS} --list --export`)).output).toMatch(/^Option \[export\] can be used only with \[reset-offsets\]\n/);
  });
});

describe('kafka-consumer-groups --delete-offsets', () => {
  it('deletes an empty group\'s offsets for a topic and prints Kafka\'s table', async () => {
    const lab = await labWithGroup();
    const { code, output } = await lab.run(`kafka-consumer-groups ${BS} --delete-offsets --group billing --topic orders`);
    expect(code).toBe(0);
    expect(output).toBe(
      'Request succeed for deleting offsets with topic orders group billing\n' +
        '\nTOPIC                          PARTITION       STATUS\n' +
        'orders                         0               Successful\n' +
        'orders                         1               Successful\n',
    );
    const left = await settle(lab.cluster, lab.cluster.admin.listConsumerGroupOffsets('billing'));
    expect(left.map((o) => o.topic)).toEqual(['audit']);
  });

  it('refuses a topic the active group consumes, names unknown topics and groups', async () => {
    const lab = await labWithGroup();
    const consumer = lab.cluster.client.createConsumer({ groupId: 'billing', topics: ['orders'], clientId: 'c1' });
    let polling = true;
    consumer.start();
    void (async () => {
      while (polling) {
        await consumer.poll(200);
        await lab.cluster.sleep(50);
      }
    })();
    await settle(lab.cluster, lab.cluster.sleep(8_000));
    const refused = await lab.run(`kafka-consumer-groups ${BS} --delete-offsets --group billing --topic orders:1 --topic audit --topic ghost`);
    expect(refused.code).toBe(1);
    expect(refused.output).toBe(
      'Error: Encounter some partition level error, see the follow-up details:\n' +
        '\nTOPIC                          PARTITION       STATUS\n' +
        'audit                          0               Successful\n' +
        'ghost                          Not Provided    Error: UNKNOWN_TOPIC_OR_PARTITION: This server does not host this topic-partition.\n' +
        'orders                         1               Error: GROUP_SUBSCRIBED_TO_TOPIC: The consumer group is actively subscribed to the topic\n' +
        'hint: GROUP_SUBSCRIBED_TO_TOPIC (error code 86): the group\'s members still consume that topic; stop them first (`clients stop all`), then delete its offsets\n',
    );
    polling = false;
    await settle(lab.cluster, consumer.close());
    const missing = await lab.run(`kafka-consumer-groups ${BS} --delete-offsets --group nobody --topic orders`);
    expect(missing.code).toBe(1);
    expect(missing.output.split('\n')[0]).toBe("Error: 'nobody' does not exist.");
    expect((await lab.run(`kafka-consumer-groups ${BS} --delete-offsets --group billing`)).output).toMatch(/^Option \[delete-offsets\] takes the following options: \[group\], \[topic\]\n/);
  });
});
