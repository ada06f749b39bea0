/**
 * `/docs` renders the document in a real browser (Debian's chromium driven by playwright-core), and
 * offline: every request the page makes goes to the registry itself. Needs /usr/bin/chromium (`.ci/run`
 * installs it); without it this test fails, saying so. `DOCS_SCREENSHOT=path.png` saves a screenshot.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { chromium } from 'playwright-core';
import { assertChromiumInstalled, CHROMIUM_ARGS, CHROMIUM_PATH } from '../../ui/testing/browser.js';
import { freshServer } from '../http/helpers.js';
import { openApiContract } from '../support/openapi-contract.js';
import { documentedOperations } from './operations.js';

const server = await freshServer();
const http = createServer(server.handler).listen(0, '127.0.0.1');
await new Promise((resolve) => http.once('listening', resolve));
const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
after(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await server.close();
});

it('/docs renders every operation of the document in chromium, fetching nothing from elsewhere', async () => {
  assertChromiumInstalled();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const res = await page.goto(`${origin}/docs`);
    assert.equal(res?.status(), 200);
    await page.waitForSelector('.opblock', { timeout: 30_000 });

    const operations = documentedOperations(openApiContract().document);
    assert.equal(await page.locator('.opblock').count(), operations.length);
    assert.match((await page.locator('.info .title').textContent()) ?? '', /ProximaDB Schema Registry/);
    // Open one operation: its error answers (shared $refs) and their error codes render.
    await page.locator('#operations-Subjects-registerSchema .opblock-summary').click();
    await page.waitForSelector('#operations-Subjects-registerSchema .responses-table');
    const responses =
      (await page.locator('#operations-Subjects-registerSchema .responses-table').textContent()) ?? '';
    assert.match(responses, /409/);
    assert.match(responses, /42205/);
    if (process.env.DOCS_SCREENSHOT)
      await page.screenshot({ path: process.env.DOCS_SCREENSHOT, fullPage: false });

    const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
    assert.deepEqual(elsewhere, [], 'the page fetched from outside the registry');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
