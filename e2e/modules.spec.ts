/**
 * Every module's first "Try it" step, run in the browser on the module's own live lab:
 * the test opens the module, presses the step's Run button and reads the terminal. The
 * commands come from the modules' MDX; what each must print is written here, next to the
 * module, as the claims the module's prose makes about that output.
 */
import { expect, test, type Page } from '@playwright/test';
import { terminalText, typeLine } from './helpers';
import { moduleFolders, moduleSlug, moduleTryItCommands, stepOutput } from './lesson-steps';

interface Expected {
  /** The command the expectations were written for; a module whose first step changes must update them. */
  readonly command: string;
  /** Patterns the command's own output must match. */
  readonly output: readonly RegExp[];
  /** Patterns its output must not match. */
  readonly absent?: readonly RegExp[];
  /** For a step that prints nothing when it succeeds (as Kafka's console producer does): a command that shows its effect. */
  readonly then?: { readonly command: string; readonly output: readonly RegExp[] };
}

/*
 * `kafka-topics --describe` separates its fields with tabs. A tab that falls at the end of
 * a screen row moves the cursor nowhere, so the screen may show no space there: the
 * patterns for tab-separated fields allow none (`\s*`).
 */

/** A partition line of `kafka-topics --describe` whose leader is its preferred replica and whose ISR holds all three replicas. */
const fullIsrLine = (topic: string, partition: number) =>
  new RegExp(`^\\s*Topic: ${topic}\\s*Partition: ${partition}\\s*Leader: (\\d)\\s*Replicas: \\1,\\d,\\d\\s*Isr: \\d,\\d,\\d\\s*Elr:`, 'm');

const firstSteps: Record<string, Expected> = {
  '01-architecture': {
    command: 'kafka-topics --bootstrap-server localhost:9092 --create --topic clicks --partitions 6 --replication-factor 3',
    output: [/^Created topic clicks\.$/],
  },
  '02-broker': {
    command: 'kafka-console-producer --bootstrap-server localhost:9092 --topic orders --producer-property acks=all --message first --message second --message third',
    // Like Kafka's console producer, it prints nothing when every record is acknowledged.
    output: [/^$/],
    then: {
      command: 'kafka-console-consumer --bootstrap-server localhost:9092 --topic orders --from-beginning --max-messages 3',
      output: [/^first$/m, /^second$/m, /^third$/m, /^Processed a total of 3 messages$/m],
    },
  },
  '03-data-replication': {
    command: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic orders',
    output: [
      /^Topic: orders\s*TopicId: \S+\s*PartitionCount: 3\s*ReplicationFactor: 3\s*Configs: min\.insync\.replicas=2$/m,
      fullIsrLine('orders', 0),
      fullIsrLine('orders', 1),
      fullIsrLine('orders', 2),
    ],
  },
  '04-control-plane': {
    command: 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status',
    output: [
      /LeaderId:\s+10[123](?!\d)/,
      /LeaderEpoch:\s+\d+/,
      /HighWatermark:\s+\d+/,
      /MaxFollowerLag:\s+\d+/,
      /MaxFollowerLagTimeMs:\s+\d+/,
      /CurrentVoters:\s+\[\{"id": 101\}, \{"id": 102\}, \{"id": 103\}\]/,
      /CurrentObservers:\s+\[\{"id": 1\}, \{"id": 2\}, \{"id": 3\}\]/,
    ],
  },
  '05-consumer-group-protocol': {
    command: 'clients consumers --group billing --topic orders --count 2',
    output: [/^Started 2 consumers in group billing: \S+, \S+$/],
  },
  '06-guarantees': {
    command: 'kafka-console-producer --bootstrap-server localhost:9092 --topic payments --producer-property acks=all --message pay-1 --message pay-2',
    output: [/^$/],
    then: {
      command: 'kafka-console-consumer --bootstrap-server localhost:9092 --topic payments --from-beginning --max-messages 2',
      output: [/^pay-1\npay-2\nProcessed a total of 2 messages$/],
    },
  },
  '07-transactions': {
    command: 'clients producer --topic receipts --rate 5 --transactional-id billing-1',
    output: [/^Started producer \S+\.$/],
  },
  '08-compaction': {
    command: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic customers',
    output: [
      /^Topic: customers\s*TopicId: \S+\s*PartitionCount: 1\s*ReplicationFactor: 3\s*Configs: cleanup\.policy=compact,segment\.bytes=1048576$/m,
      fullIsrLine('customers', 0),
    ],
  },
  '09-tiered-storage': {
    command: 'kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name metrics --describe',
    output: [
      /^Dynamic configs for topic metrics are:/,
      /remote\.storage\.enable=true sensitive=false/,
      /segment\.bytes=1048576 sensitive=false/,
      /local\.retention\.bytes=2097152 sensitive=false/,
    ],
    // The prose: neither total retention setting is overridden, only the local one.
    absent: [/(?<!local\.)retention\.(ms|bytes)=/],
  },
  '10-cluster-elasticity': {
    command: 'broker add',
    output: [/^Added broker 4\. It owns no partitions/],
  },
  '11-geo-replication': {
    command: 'broker list',
    output: [
      /^ID\s+STATE\s+ADDRESS\s+RACK\s/,
      /^1\s+running\s+localhost:9092\s+east\s/m,
      /^2\s+running\s+localhost:9093\s+east\s/m,
      /^3\s+running\s+localhost:9094\s+east\s/m,
      /^4\s+running\s+localhost:9095\s+west\s/m,
      /^5\s+running\s+localhost:9096\s+west\s/m,
      /^6\s+running\s+localhost:9097\s+west\s/m,
    ],
    // Six brokers and no more.
    absent: [/localhost:(?!909[2-7])\d+/],
  },
};

test('the expectations cover every module folder, and only those', () => {
  expect(Object.keys(firstSteps).sort()).toEqual(moduleFolders());
});

/**
 * Open a module, wait for its live lab and its terminal, and press its first "Try it"
 * button. This waits for the terminal itself rather than for its greeting (as
 * helpers.waitForPrompt does): the greeting is sometimes missing when the lab's hello
 * arrives while xterm is still loading, and the Run button works either way.
 */
async function runFirstStep(page: Page, folder: string, command: string) {
  await page.goto(`/modules/${moduleSlug(folder)}`);
  await expect(page.getByTestId('lab-status'), `${folder}: the lab goes live`).toHaveText('live');
  await expect(page.locator('[data-testid="terminal"] .xterm-rows'), `${folder}: the terminal loads`).toBeAttached();
  expect(await stepOutput(page, command), `${folder}: the terminal starts without the step`).toBeNull();
  await page.getByTestId('try-it').first().getByRole('button', { name: `Run: ${command}`, exact: true }).click({ timeout: 10_000 });
}

/** Wait until `command` has finished (a fresh prompt follows its output), then check its output. */
async function expectStep(page: Page, folder: string, command: string, output: readonly RegExp[], absent: readonly RegExp[] = []) {
  await expect
    .configure({ soft: true })
    .poll(async () => (await stepOutput(page, command))?.finished ?? false, { message: `${folder}: "${command}" finishes`, timeout: 15_000 })
    .toBe(true);
  const text = (await stepOutput(page, command))?.text ?? '';
  for (const pattern of output) expect.soft(text, `${folder}: output of "${command}"`).toMatch(pattern);
  for (const pattern of absent) expect.soft(text, `${folder}: output of "${command}"`).not.toMatch(pattern);
}

test("every module's first Try it step runs on its live lab and prints what the module says", async ({ page }, testInfo) => {
  // One browser context (one session) visits all eleven modules, each with its own lab.
  test.setTimeout(150_000);
  for (const folder of moduleFolders()) {
    const expected = firstSteps[folder];
    const command = moduleTryItCommands(folder)[0];
    if (!expected || command === undefined) {
      expect.soft(command, `${folder}: has a first TryIt`).toBeDefined();
      expect.soft(expected, `${folder}: has expectations in firstSteps`).toBeDefined();
      continue;
    }
    await test.step(folder, async () => {
      const errorsBefore = testInfo.errors.length;
      expect.soft(command, `${folder}: the first TryIt is still the command the expectations were written for`).toBe(expected.command);
      await runFirstStep(page, folder, command);
      await expectStep(page, folder, command, expected.output, expected.absent);
      if (expected.then) {
        await typeLine(page, expected.then.command);
        await expectStep(page, folder, expected.then.command, expected.then.output);
      }
      expect.soft(await terminalText(page), `${folder}: the terminal greets the learner with its lab`).toContain('Type help');
      if (testInfo.errors.length > errorsBefore) {
        await testInfo.attach(`${folder}-terminal.txt`, { body: await terminalText(page), contentType: 'text/plain' });
        await page.screenshot({ path: testInfo.outputPath(`${folder}.png`) });
      }
    });
  }
});
