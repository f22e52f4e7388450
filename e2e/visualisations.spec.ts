import { expect, test, type Page } from '@playwright/test';
import { terminalText, typeLine, waitForPrompt } from './helpers';

async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

test('a stopped leader shows in the pictures; rewind brings back the past; a link reopens it', async ({ page, browser }) => {
  await page.goto('/lab');
  await waitForPrompt(page);
  await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 1 --replication-factor 3');
  await expect.poll(() => terminalText(page)).toContain('Created topic orders.');

  await openTab(page, 'Replication');
  const replication = page.getByTestId('replication-view');
  await expect(replication).toHaveAttribute('data-leader', /^[123]$/);
  const leader = await replication.getAttribute('data-leader');
  const epoch = Number(await replication.getAttribute('data-epoch'));

  await typeLine(page, `broker stop ${leader}`);
  await expect(replication).not.toHaveAttribute('data-leader', leader ?? '');
  await expect(replication).toHaveAttribute('data-epoch', String(epoch + 1));
  await expect(page.getByTestId('isr')).not.toContainText(leader ?? '');
  await page.screenshot({ path: 'test-results/screenshots/replication-after-stop.png' });
  await openTab(page, 'Cluster');
  await expect(page.getByTestId(`broker-${leader}`)).toHaveAttribute('data-state', /stopped|fenced/);

  await openTab(page, 'Timeline');
  const stop = page.locator('li.kil-event[data-type="node-stop-requested"]').first();
  const stopSeq = Number(await stop.getAttribute('data-seq'));
  const seqs = (await page.locator('li.kil-event').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))))).filter((s) => s < stopSeq);
  const before = Math.max(...seqs);
  await page.locator(`li.kil-event[data-seq="${before}"] button.kil-seek`).click();
  await openTab(page, 'Cluster');
  await expect(page.getByTestId(`broker-${leader}`)).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('lab-clock')).toContainText('paused');
  await openTab(page, 'Replication');
  await expect(replication).toHaveAttribute('data-leader', leader ?? '');
  await page.screenshot({ path: 'test-results/screenshots/replication-rewound.png' });

  await page.getByRole('button', { name: 'Share this moment' }).click();
  const permalink = page.getByTestId('time-permalink');
  await expect(permalink).toBeVisible();
  const href = (await permalink.getAttribute('href')) ?? (await permalink.inputValue().catch(() => ''));
  expect(href).toContain('?run=');
  const clock = await page.getByTestId('lab-clock').innerText();

  const other = await browser.newContext();
  const copy = await other.newPage();
  await copy.goto(href);
  await expect(copy.getByTestId('lab-status')).toHaveText('live');
  await expect(copy.getByTestId('lab-clock')).toHaveText(clock);
  await expect(copy.getByTestId(`broker-${leader}`)).toHaveAttribute('data-state', 'running');
  await openTab(copy, 'Replication');
  await expect(copy.getByTestId('replication-view')).toHaveAttribute('data-leader', leader ?? '');
  expect(copy.url()).not.toContain('run=');
  await other.close();
});
