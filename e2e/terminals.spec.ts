import { expect, test } from '@playwright/test';
import { terminalText, typeLine, waitForPrompt } from './helpers';

test('a producer and a consumer in two terminals of one lab see records flow; Ctrl-C stops the consumer', async ({ context }) => {
  const producerPage = await context.newPage();
  const consumerPage = await context.newPage();
  await producerPage.goto('/lab');
  await consumerPage.goto('/lab');
  await waitForPrompt(producerPage);
  await waitForPrompt(consumerPage);

  await typeLine(producerPage, 'kafka-topics --bootstrap-server localhost:9092 --create --topic flow --partitions 1 --replication-factor 3');
  await expect.poll(() => terminalText(producerPage)).toContain('Created topic flow.');

  await typeLine(consumerPage, 'kafka-console-consumer --bootstrap-server localhost:9092 --topic flow --from-beginning');
  await typeLine(producerPage, 'kafka-console-producer --bootstrap-server localhost:9092 --topic flow');
  await typeLine(producerPage, 'first-record');
  await typeLine(producerPage, 'second-record');
  await expect.poll(() => terminalText(consumerPage)).toContain('second-record');
  expect(await terminalText(consumerPage)).toContain('first-record');
  // Each terminal shows only its own commands' output.
  expect(await terminalText(producerPage)).not.toContain('Processed a total');

  await consumerPage.locator('[data-testid="terminal"]').click();
  await consumerPage.keyboard.press('Control+C');
  await expect.poll(() => terminalText(consumerPage)).toContain('Processed a total of 2 messages');
  await producerPage.keyboard.press('Control+D');
  await consumerPage.screenshot({ path: 'test-results/screenshots/two-terminals-consumer.png' });
});
