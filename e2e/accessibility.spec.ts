import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { typeLine, waitForPrompt } from './helpers';

/** axe-core rules that matter to every learner; serious and critical findings fail. */
async function seriousViolations(page: Page) {
  // New trace events fade in; axe must judge colours after the fade, not half-way through.
  await page.waitForTimeout(600);
  const results = await new AxeBuilder({ page }).exclude('.xterm-helper-textarea').analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')})`);
}

test('the sandbox lab has no serious accessibility violations, live and with a topic', async ({ page }) => {
  await page.goto('/lab');
  await waitForPrompt(page);
  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 2 --replication-factor 3');
  await expect(page.locator('[data-partition="orders-1"]').first()).toBeVisible();
  for (const tab of ['Cluster', 'Replication', 'Quorum', 'Timeline', 'Tables']) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await seriousViolations(page), `${tab} view`).toEqual([]);
  }
});

test('the course home and a module page have no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/modules/data-replication');
  await waitForPrompt(page);
  expect(await seriousViolations(page)).toEqual([]);
});

test('in the dark theme a module page, its code and the glossary have no serious accessibility violations', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/modules/data-replication');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await waitForPrompt(page);
  expect(await seriousViolations(page), 'data-replication, dark').toEqual([]);
  await page.goto('/modules/cluster-elasticity');
  await expect(page.locator('pre[data-lang="json"] .tok-key').first()).toBeVisible();
  expect(await seriousViolations(page), 'cluster-elasticity code block, dark').toEqual([]);
  await page.goto('/glossary');
  expect(await seriousViolations(page), 'glossary, dark').toEqual([]);
});

test('the glossary page and a code block have no serious accessibility violations in the light theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/glossary');
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/modules/cluster-elasticity');
  await expect(page.locator('pre[data-lang="json"] .tok-key').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
