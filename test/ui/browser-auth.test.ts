/**
 * The web UI with access control on (AUTH_FILE): a sign-in form (never the browser's own prompt), the
 * credential kept in sessionStorage only and sent on each call, sign-out clearing it, and each role
 * seeing only the controls it may use: a read user sees none.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { generateToken, hashPassword } from '../../src/auth/credentials.js';
import { type Browser, DESKTOP, launchBrowser, PHONE } from '../../ui/testing/browser.js';
import { assertPageSound, screenshot, waitForText } from '../../ui/testing/pages.js';
import { recordSchema, startTestRegistry, type TestRegistry } from '../../ui/testing/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'ui-auth-'));
const readerToken = generateToken();
const PASSWORDS = { admin: 'admin-Pa55!', writer: 'writer-Pa55!' };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let registry: TestRegistry;
let browser: Browser;

before(async () => {
  const authFile = join(dir, 'credentials.json');
  writeFileSync(
    authFile,
    JSON.stringify({
      users: [
        { name: 'alice', role: 'admin', password: await hashPassword(PASSWORDS.admin, { N: 1024 }) },
        { name: 'bob', role: 'write', password: await hashPassword(PASSWORDS.writer, { N: 1024 }) },
        { name: 'carol', role: 'read', tokens: [readerToken.hash] },
      ],
    }),
  );
  registry = await startTestRegistry({ authFile });
  await registry.call(
    'POST',
    '/subjects/orders-value/versions',
    { schema: recordSchema('Order', [{ name: 'id', type: 'long' }]) },
    { authorization: basic('alice', PASSWORDS.admin) },
  );
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await registry?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(hash: string): Promise<Page> {
  const page = await browser.newPage(DESKTOP);
  await page.clock.setFixedTime(registry.clock.now());
  await page.goto(`${registry.base}/ui/${hash}`);
  return page;
}

async function signInWithPassword(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('User', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in', () => {
  test('the form replaces the browser prompt; a wrong password is refused with a message', async () => {
    const page = await open('#/subjects');
    // No credentials yet: the app's own form, and no API data shown.
    await waitForText(page, 'h1', 'Sign in to the registry');
    assert.equal(await page.locator('nav[aria-label="Main"]').count(), 0);
    await page.setViewportSize(DESKTOP);
    await assertPageSound(page, 'sign-in at 1280×800');
    await screenshot(page, 'sign-in-desktop');
    await page.setViewportSize(PHONE);
    await assertPageSound(page, 'sign-in at 390×844');
    await screenshot(page, 'sign-in-phone');
    await page.setViewportSize(DESKTOP);

    await signInWithPassword(page, 'bob', 'wrong');
    await waitForText(page, '#sign-in-error', 'Those credentials were not accepted.');
    assert.equal(await page.evaluate('sessionStorage.length'), 0);

    await signInWithPassword(page, 'bob', PASSWORDS.writer);
    await waitForText(page, '.who', 'Signed in as bob');
    await waitForText(page, 'table.subjects-table', 'orders-value');
    const stored = (await page.evaluate(
      'Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join()',
    )) as string;
    assert.match(stored, /"kind":"basic","user":"bob"/);
    assert.equal(await page.evaluate('localStorage.length'), 0, 'nothing in localStorage');
    assert.equal(await page.evaluate('document.cookie'), '', 'no cookie');

    // A reload keeps the session (same tab); signing out clears it.
    await page.reload();
    await waitForText(page, '.who', 'Signed in as bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitForText(page, '.banner-info', 'You are signed out.');
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.close();
  });
});

describe('roles decide which controls are shown', () => {
  test('a read user (bearer token) sees the data and no editing control', async () => {
    const page = await open('#/subjects');
    await page.getByRole('radio', { name: 'Token' }).check();
    await page.getByLabel('Bearer token').fill(readerToken.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page, '.who', 'Signed in as carol');
    await waitForText(page, 'table.subjects-table', 'orders-value');

    await page.goto(`${registry.base}/ui/#/settings?subject=orders-value`);
    await waitForText(page, '[data-testid="subject-level-value"]', 'BACKWARD');
    await waitForText(
      page,
      '.page-head',
      'You are signed in with the read role: settings are shown, not editable.',
    );
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Use the global|Reset/ }).count(), 0);
    assert.equal(await page.locator('main form select').count(), 0);
    await page.setViewportSize(DESKTOP);
    await assertPageSound(page, 'read-only settings at 1280×800');
    await screenshot(page, 'settings-read-only-desktop');
    await page.setViewportSize(PHONE);
    await assertPageSound(page, 'read-only settings at 390×844');
    await screenshot(page, 'settings-read-only-phone');

    // Reading still works everywhere: a subject, a check, a rollout.
    await page.setViewportSize(DESKTOP);
    await page.goto(`${registry.base}/ui/#/subjects/orders-value`);
    await waitForText(page, '#version-title', 'Version 1');
    await page.goto(`${registry.base}/ui/#/rollout/orders-value`);
    await waitForText(page, '[data-testid="agreed-version"]', '1.0.0');
    await page.close();
  });

  test('a write user may set a subject level, not global settings nor modes', async () => {
    const page = await open('#/settings?subject=orders-value');
    await signInWithPassword(page, 'bob', PASSWORDS.writer);
    await waitForText(page, '[data-testid="subject-level-value"]', 'BACKWARD');
    await page.locator('#subject-level').waitFor();
    assert.equal(await page.locator('#global-level').count(), 0);
    assert.equal(await page.locator('#global-mode').count(), 0);
    assert.equal(await page.locator('#subject-mode').count(), 0);
    await page.locator('#subject-level').selectOption('FORWARD');
    // With the keyboard: from the select, Tab reaches its Save button.
    await page.locator('#subject-level').press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Save');
    await page.keyboard.press('Enter');
    await waitForText(page, '.banner-ok', 'The compatibility level of orders-value is now FORWARD.');
    await page.close();
  });

  test('an admin sees every control', async () => {
    const page = await open('#/settings?subject=orders-value');
    await signInWithPassword(page, 'alice', PASSWORDS.admin);
    for (const id of ['#global-level', '#global-mode', '#subject-level', '#subject-mode']) {
      await page.locator(id).waitFor();
    }
    await page.close();
  });

  test('credentials that stop working send the user back to the form', async () => {
    const page = await open('#/subjects');
    await page.evaluate(
      `sessionStorage.setItem('proximadb-registry.credential', JSON.stringify({ kind: 'bearer', token: 'revoked' }))`,
    );
    await page.reload();
    await waitForText(page, 'h1', 'Sign in to the registry');
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.close();
  });
});
