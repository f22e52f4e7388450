import { expect, type Page } from '@playwright/test';

/** The terminal's rows as xterm renders them into the DOM, one string per screen row. */
export async function terminalRows(page: Page): Promise<string[]> {
  const text = await page.locator('[data-testid="terminal"] .xterm-rows').innerText();
  return text.split('\n').map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
}

/**
 * The terminal's visible text with screen rows joined, so a line that wrapped at the
 * terminal's width reads as the one line the shell printed.
 */
export async function terminalText(page: Page): Promise<string> {
  return (await terminalRows(page)).join('');
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
