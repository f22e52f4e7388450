import { expect, test } from '@playwright/test';
import { terminalRows, terminalText, typeLine, waitForPrompt } from './helpers';

test('the course home lists the modules and exercises', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'How Apache Kafka works inside' })).toBeVisible();
  await expect(page.getByTestId('module-card')).toHaveCount(11);
  await expect(page.getByTestId('exercise-card')).toHaveCount(4);
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });
});

test('every page answers with security headers', async ({ request }) => {
  for (const path of ['/', '/lab']) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  }
});

test('a module page runs commands on a live lab and the cluster view follows', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('module-list').locator('a').first().click();
  await expect(page.getByTestId('lesson')).toBeVisible();
  await waitForPrompt(page);
  const panel = page.getByLabel('Your live lab');
  await expect(panel.getByTestId('cluster-view').locator('[data-testid^="broker-"]')).toHaveCount(3);

  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 3');
  await expect.poll(() => terminalText(page)).toContain('Created topic orders.');
  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --describe --topic orders');
  await expect.poll(() => terminalText(page)).toMatch(/Partition: 2\s+Leader: \d\s+Replicas: [\d,]+\s+Isr: [\d,]+/);
  await expect(panel.getByTestId('cluster-view').locator('[data-partition^="orders-"]')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/screenshots/module-with-topic.png' });

  await typeLine(page, 'kafka-topicz --list');
  await expect.poll(() => terminalText(page)).toContain('command not found');
  await expect.poll(() => terminalText(page)).toContain('kafka-topics');
});

test('stopping a broker shows in the cluster view', async ({ page }) => {
  await page.goto('/lab');
  await waitForPrompt(page);
  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic payments --partitions 2 --replication-factor 3');
  await expect.poll(() => terminalText(page)).toContain('Created topic payments.');
  await typeLine(page, 'broker stop 2');
  await expect(page.getByTestId('broker-2')).toHaveAttribute('data-state', /stopped|fenced/);
  await expect(page.locator('[data-replica$="@2"][data-role="out-of-sync"]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/sandbox-broker-stopped.png', fullPage: true });
});

test('two browser contexts get two independent labs', async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await a.goto('/lab');
  await b.goto('/lab');
  await waitForPrompt(a);
  await waitForPrompt(b);
  await typeLine(a, 'kafka-topics --bootstrap-server localhost:9092 --create --topic only-in-a --partitions 1 --replication-factor 1');
  await expect.poll(() => terminalText(a)).toContain('Created topic only-in-a.');
  await typeLine(b, 'kafka-topics --bootstrap-server localhost:9092 --list');
  await typeLine(b, 'echo-done-marker');
  await expect.poll(() => terminalText(b)).toContain('echo-done-marker');
  expect(await terminalText(b)).not.toContain('only-in-a');
  await typeLine(a, 'kafka-topics --bootstrap-server localhost:9092 --list');
  await expect.poll(async () => (await terminalRows(a)).includes('only-in-a')).toBe(true);
  await first.close();
  await second.close();
});

test('answering a module quiz shows the score and records it', async ({ page }) => {
  await page.goto('/modules/architecture');
  const quiz = page.getByTestId('quiz');
  const questions = quiz.locator('fieldset');
  const count = await questions.count();
  expect(count).toBeGreaterThanOrEqual(4);
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/progress/quiz') && r.request().method() === 'POST');
  for (let i = 0; i < count; i++) await questions.nth(i).locator('input[type=radio]').first().check();
  await expect(page.getByTestId('quiz-score')).toContainText(`of ${count} right`);
  expect((await saved).ok()).toBe(true);
});
