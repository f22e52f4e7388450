/**
 * The reading experience of a module page in the browser: copyable code blocks, glossary
 * links, the dark-mode switch, the course sidebar, and a phone-sized layout.
 */
import { expect, test, type Page } from '@playwright/test';

/** A module whose lesson holds a fenced JSON block. */
const codeModule = '/modules/cluster-elasticity';

/** Elements wider than the viewport, for a readable failure message. */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const box = element.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0) {
        let clipped = false;
        for (let p = element.parentElement; p && p !== document.body; p = p.parentElement) {
          const style = getComputedStyle(p);
          if (style.overflowX !== 'visible' || style.display === 'none') clipped = true;
        }
        if (!clipped) out.push(`${element.tagName.toLowerCase()}.${element.className.toString().slice(0, 60)} right=${Math.round(box.right)}`);
      }
    }
    return out.slice(0, 5);
  });
}

test('a code block is highlighted and its copy button copies the code', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(codeModule);
  const block = page.locator('[data-code-block]').filter({ has: page.locator('pre[data-lang="json"]') }).first();
  await expect(block.locator('.tok-key').first()).toBeVisible();
  const code = (await block.locator('pre').textContent()) ?? '';
  const button = block.getByRole('button', { name: 'Copy code to clipboard' });
  await button.click();
  await expect(block.getByRole('button', { name: 'Copied code to clipboard' })).toHaveText(/Copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(code.replace(/\n$/, ''));
  expect(copied).toContain('{');
});

test('a glossary link in the prose leads to its entry on the glossary page', async ({ page }) => {
  await page.goto('/modules/data-replication');
  const link = page.getByTestId('lesson').locator('a.glossary-term').first();
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/glossary#[a-z0-9-]+$/);
  expect(await link.getAttribute('title')).toMatch(/\w+.*\.$/);
  const id = href.split('#')[1] ?? '';
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/glossary#${id}$`));
  const entry = page.locator(`[id="${id}"]`);
  await expect(entry).toBeVisible();
  await expect(entry.locator('dt')).not.toBeEmpty();
  await expect(entry).toBeInViewport();
});

test('the dark-mode switch applies at once and survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(codeModule);
  const html = page.locator('html');
  await expect(html).toHaveClass(/\blight\b/);
  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(html).toHaveClass(/\bdark\b/);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(248, 250, 252)');
  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await page.reload();
  await expect(html).toHaveClass(/\blight\b/);
});

test('with no stored choice the page follows the system colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/glossary');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
});

test('the sidebar lists every module and exercise and marks the current module', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/modules/data-replication');
  const sidebar = page.getByTestId('module-sidebar');
  await expect(sidebar.locator('a[href^="/modules/"]')).toHaveCount(11);
  await expect(sidebar.locator('a[href^="/exercises/"]')).toHaveCount(4);
  const current = sidebar.locator('a[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveAttribute('href', '/modules/data-replication');
  await expect(current).toBeVisible();
});

test('on a phone the lab stacks under the lesson and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(codeModule);
  const lesson = page.getByTestId('lesson');
  const lab = page.getByRole('complementary', { name: 'Your live lab' });
  await expect(lab).toBeAttached();
  const lessonBox = await lesson.boundingBox();
  const labBox = await lab.boundingBox();
  expect(lessonBox && labBox).toBeTruthy();
  expect(labBox!.y).toBeGreaterThanOrEqual(lessonBox!.y + lessonBox!.height - 1);
  expect(labBox!.x).toBeLessThan(lessonBox!.x + 1);
  expect(await overflowingElements(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The outline folds behind its button until the reader opens it.
  const sidebar = page.getByTestId('module-sidebar');
  await expect(sidebar.locator('a[aria-current="page"]')).toBeHidden();
  await sidebar.getByRole('button', { name: /Course contents/ }).click();
  await expect(sidebar.locator('a[aria-current="page"]')).toBeVisible();
});

/** WCAG contrast ratio of an element's text against its own background. */
async function ownContrast(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((element) => {
    const rgb = (value: string) => (value.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const channel = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const style = getComputedStyle(element);
    const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))].sort((x, y) => y - x) as [number, number];
    return (a + 0.05) / (b + 0.05);
  });
}

test("a Try it step's command is readable in both themes", async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/modules/compaction');
    await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${scheme}\\b`));
    const command = page.getByTestId('try-it').first().locator('code.try-it-command');
    await expect(command).toHaveText(/^kafka-topics --bootstrap-server localhost:9092/);
    expect(await ownContrast(page, '[data-testid="try-it"] code.try-it-command'), `${scheme} theme`).toBeGreaterThanOrEqual(7);
  }
});
