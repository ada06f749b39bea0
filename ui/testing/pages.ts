/**
 * Acting on the UI as a user: waiting for what is on screen, screenshots for docs/ui/, and the checks
 * every page gets (no serious accessibility violation, nothing wider than the window).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describeViolations, seriousViolations } from './axe.js';

/**
 * Where screenshots go: docs/ui/ with UPDATE_SCREENSHOTS=1 (to refresh the documentation's pictures on
 * purpose), a temporary folder otherwise, so a test run never leaves the working tree changed by a
 * pixel of font rendering.
 */
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/ui/', import.meta.url))
    : `${join(tmpdir(), 'registry-ui-screenshots')}/`;

/** Generous: the machine running the tests may be shared and slow. */
export const WAIT_MS = 20_000;

export async function waitForText(page: Page, selector: string, text: string | RegExp): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
}

/** Axe finds no serious or critical violation, and the page does not scroll sideways. */
export async function assertPageSound(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${what}: accessibility violations\n${describeViolations(violations)}`);
  const overflow = (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
  if (overflow > 0) {
    const culprits = await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .slice(-5)
        .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
          + ' right=' + Math.round(el.getBoundingClientRect().right));
    })()`);
    assert.fail(
      `${what}: the page is ${overflow}px wider than the window; widest: ${JSON.stringify(culprits)}`,
    );
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Settle: subject suggestions loaded (they change how a picker is drawn), fonts loaded, no hover, and
  // the caret not blinking into the picture.
  if ((await page.locator('datalist').count()) > 0) {
    await page.locator('datalist option').first().waitFor({ state: 'attached', timeout: WAIT_MS });
  }
  await page.mouse.move(0, 0);
  await page.evaluate('document.fonts.ready');
  await page.evaluate(
    'document.activeElement && document.activeElement.blur && document.activeElement.blur()',
  );
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true, animations: 'disabled' });
}
