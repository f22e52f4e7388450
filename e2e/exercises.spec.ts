import { expect, test, type Page } from '@playwright/test';
import { typeLine, waitForPrompt } from './helpers';

/**
 * An exercise end to end in the browser: write code in Monaco, run it in the Web Worker
 * against the live lab, "Check my work", and find the result saved after a reload and on
 * the progress page. The tiered-storage exercise is used because its first task needs
 * only what the engine serves today; its other tasks wait for tiering in the engine.
 */
const program = `import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  const admin = kafka.admin();
  await admin.createTopics([{ name: 'metrics', numPartitions: 1, replicationFactor: 3, configs: { 'remote.storage.enable': 'true', 'segment.bytes': '16384', 'local.retention.bytes': '32768' } }], { ignoreExisting: true });
  log('topics now:', await admin.listTopics());
}
`;

test('write code, run it, check it, and keep the progress across a reload', async ({ page }) => {
  await page.goto('/exercises/tiered-storage');
  await waitForPrompt(page);
  await expect(page.getByTestId('task-enable-tiering')).toHaveAttribute('data-status', 'open');

  const editor = page.getByTestId('editor');
  await expect(editor).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(program);
  await page.getByTestId('run-code').click();
  await expect(page.getByTestId('console')).toContainText('— finished —', { timeout: 30_000 });
  await expect(page.getByTestId('console')).toContainText('metrics');

  await page.getByTestId('check-work').click();
  await expect(page.getByTestId('check-summary')).toBeVisible();
  await expect(page.getByTestId('task-enable-tiering')).toHaveAttribute('data-status', 'passed');
  await expect(page.getByTestId('task-read-remote')).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('task-read-remote').getByLabel('Check results')).toContainText('observed');
  await expect(page.getByTestId('tasks-passed')).toHaveText('1 of 4 passed');
  await page.screenshot({ path: 'test-results/screenshots/exercise-checked.png', fullPage: true });

  await page.reload();
  await expect(page.getByTestId('task-enable-tiering')).toHaveAttribute('data-status', 'passed');
  await expect(page.getByTestId('tasks-passed')).toHaveText('1 of 4 passed');

  await page.goto('/progress');
  await expect(page.getByRole('region', { name: 'Exercises' }).getByRole('progressbar', { name: 'Tiered storage' })).toHaveAttribute('aria-valuenow', '25');
});

test('runaway code is stopped by the message budget and the lab stays usable', async ({ page }) => {
  await page.goto('/exercises/tiered-storage');
  await waitForPrompt(page);
  const editor = page.getByTestId('editor');
  await expect(editor).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(`import type { Kafka } from '@kil/client';
export default async function main(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  for (;;) await admin.listTopics();
}
`);
  await page.getByTestId('run-code').click();
  await expect(page.getByTestId('console')).toContainText('stopped: the program sent more than', { timeout: 45_000 });
  await page.getByTestId('check-work').click();
  await expect(page.getByTestId('check-summary')).toBeVisible();
});

test('sign-up keeps the anonymous progress', async ({ page }) => {
  await page.goto('/exercises/tiered-storage');
  await waitForPrompt(page);
  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic metrics --partitions 1 --replication-factor 3 --config remote.storage.enable=true --config segment.bytes=16384 --config local.retention.bytes=32768');
  // Checks also run by themselves after each command; a pass is saved at once.
  await expect(page.getByTestId('task-enable-tiering')).toHaveAttribute('data-status', 'passed');
  await page.goto('/progress');
  await expect(page.getByText('You are anonymous')).toBeVisible();
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Sign up' });
  await form.getByLabel('Email').fill(`learner-${Date.now()}@example.org`);
  await form.getByLabel('Name shown to your instructor').fill('E2E Learner');
  await form.getByLabel('Password (8 characters or more)').fill('a long enough password');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByText('Signed in as')).toBeVisible();
  await page.goto('/progress');
  await expect(page.getByText('Signed in as E2E Learner')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Exercises' }).getByRole('progressbar', { name: 'Tiered storage' })).toHaveAttribute('aria-valuenow', '25');
});

/** Replace everything in the editor's current tab with `text`, as a learner would. */
async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.getByTestId('editor').locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const auditor = `import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  const consumer = kafka.consumer();
  const member = consumer.groupMetadata();
  log('member of', member.groupId, 'as', member.groupInstanceId);
  consumer.assign([0, 1, 2].map((partition) => ({ topic: 'payments', partition })));
  let seen = 0;
  for (let i = 0; i < 5 && seen < 6; i++) seen += (await consumer.poll(1000)).length;
  log('payments waiting:', seen);
  const configs = await kafka.admin().describeTopicConfigs('ledger');
  log('ledger min.insync.replicas =', configs['min.insync.replicas']);
}
`;

test('property files: a typo is refused, then the edited files reach the client and the topic', async ({ page }) => {
  await page.goto('/exercises/transactions');
  await waitForPrompt(page);
  const editor = page.getByTestId('editor');
  await expect(editor).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.getByRole('tablist', { name: 'Files' }).getByRole('tab')).toHaveText(['main.ts', 'producer.properties', 'consumer.properties', 'ledger.properties']);
  await replaceEditorText(page, auditor);

  await page.getByTestId('editor-tab-ledger.properties').click();
  await expect(editor).toHaveAttribute('data-tab', 'ledger.properties');
  await expect(editor).toContainText('min.insync.replicas=1');
  await replaceEditorText(page, 'min.insync.replicas=2\n');

  await page.getByTestId('editor-tab-consumer.properties').click();
  await replaceEditorText(page, 'group.id=auditors\ngroup.instance.id=auditor-e2e\nauto.offset.reset=earliest\nisolation.levle=read_committed\n');
  await page.getByTestId('run-code').click();
  await expect(page.getByTestId('console')).toContainText('isolation.levle is not a consumer config. Did you mean isolation.level?');
  await expect(page.getByTestId('console')).toContainText('not run');

  await replaceEditorText(page, 'group.id=auditors\ngroup.instance.id=auditor-e2e\nauto.offset.reset=earliest\nisolation.level=read_committed\n');
  await page.getByTestId('run-code').click();
  await expect(page.getByTestId('console')).toContainText('— finished —', { timeout: 30_000 });
  // consumer.properties became the consumer's defaults; the set-up's six payments are there; ledger.properties reached the broker.
  await expect(page.getByTestId('console')).toContainText('member of auditors as auditor-e2e');
  await expect(page.getByTestId('console')).toContainText('payments waiting: 6');
  await expect(page.getByTestId('console')).toContainText('ledger min.insync.replicas = 2');

  await page.getByTestId('check-work').click();
  await expect(page.getByTestId('check-summary')).toBeVisible();
  await expect(page.getByTestId('task-durable-ledger')).toHaveAttribute('data-status', 'passed');
  await page.screenshot({ path: 'test-results/screenshots/exercise-properties.png', fullPage: true });
});
