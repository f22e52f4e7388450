import { expect, test } from '@playwright/test';
import { terminalText, typeLine, waitForPrompt } from './helpers';

/**
 * A module challenge end to end in the browser: "Check my challenge" first reports what is
 * missing, then the learner runs the model answer in the terminal (fail over the active
 * controller, create a topic while it is down, start it again) and the check passes.
 */
test('the control-plane challenge fails before and passes after the model answer', async ({ page }) => {
  await page.goto('/modules/control-plane');
  await waitForPrompt(page);
  const challenge = page.locator('[data-challenge="04-control-plane-failover"]');
  await challenge.scrollIntoViewIfNeeded();

  await challenge.getByTestId('challenge-check-button').click();
  await expect(challenge.getByTestId('challenge-result')).toHaveAttribute('data-passed', 'false');
  await expect(challenge.getByLabel('Challenge checks')).toContainText('observed: the active controller has not been stopped or crashed');
  await expect(challenge.getByTestId('challenge-result')).toContainText('Hint:');

  await typeLine(page, 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status');
  await expect.poll(() => terminalText(page)).toMatch(/LeaderId:\s+10\d/);
  const leader = /LeaderId:\s+(10\d)/.exec(await terminalText(page))![1]!;

  await typeLine(page, `controller stop ${leader}`);
  await expect.poll(() => terminalText(page)).toContain(`Stopping controller ${leader}.`);
  // The remaining voters need a moment of lab time to elect a new leader.
  await expect
    .poll(
      async () => {
        await typeLine(page, 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status');
        const leaders = [...(await terminalText(page)).matchAll(/LeaderId:\s+(10\d)/g)].map((m) => m[1]);
        return leaders[leaders.length - 1];
      },
      { timeout: 30_000, intervals: [2_000] },
    )
    .not.toBe(leader);

  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic after-failover --partitions 3 --replication-factor 3');
  await expect.poll(() => terminalText(page)).toContain('Created topic after-failover.');
  await typeLine(page, `controller start ${leader}`);
  await expect.poll(() => terminalText(page)).toContain(`Starting controller ${leader}.`);

  await challenge.getByTestId('challenge-check-button').click();
  await expect(challenge.getByTestId('challenge-result')).toHaveAttribute('data-passed', 'true');
  await expect(challenge.getByTestId('challenge-result')).toContainText('Challenge passed');
  await page.screenshot({ path: 'test-results/screenshots/challenge-passed.png', fullPage: false });
});
