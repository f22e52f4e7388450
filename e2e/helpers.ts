import { expect, type Page } from '@playwright/test';

/** The terminal's visible text, as xterm renders it into the DOM. */
export async function terminalText(page: Page): Promise<string> {
  return page.locator('[data-testid="terminal"] .xterm-rows').innerText();
}

export async function waitForPrompt(page: Page): Promise<void> {
  await expect(page.getByTestId('lab-status')).toHaveText('live');
  await expect.poll(() => terminalText(page)).toContain('Type help');
}

/** Type a line into the terminal as a learner would, and press Enter. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="terminal"]').click();
  await page.keyboard.type(line, { delay: 2 });
  await page.keyboard.press('Enter');
}
