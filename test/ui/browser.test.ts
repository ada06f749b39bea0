/**
 * The web UI in a real headless Chromium (Debian's package, driven by playwright-core) against a real
 * registry seeded through its HTTP API. A user finds a subject, opens two versions and reads the diff
 * and the verdicts, runs a failing compatibility check, watches a rollout change as a lease is added
 * and versions are registered, and changes a setting; every page passes axe at both sizes and is
 * saved as a screenshot under docs/ui/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, DESKTOP, launchBrowser, PHONE } from '../../ui/testing/browser.js';
import { assertPageSound, screenshot, WAIT_MS, waitForText } from '../../ui/testing/pages.js';
import { recordSchema, START, startTestRegistry, type TestRegistry } from '../../ui/testing/registry.js';

const DAY = 86_400_000;
const ORDER_V1 = [
  { name: 'id', type: 'long' },
  { name: 'total', type: 'double' },
];
const ORDER_V2 = [...ORDER_V1, { name: 'currency', type: 'string', default: 'EUR' }];
const ORDER_V3 = [...ORDER_V2, { name: 'note', type: ['null', 'string'], default: null }];
/** Drops `total` (v3 readers need it: forward-incompatible). */
const ORDER_V4 = ORDER_V3.filter((f) => f.name !== 'total');

let registry: TestRegistry;
let browser: Browser;

async function register(subject: string, schema: string, references?: object[]): Promise<void> {
  await registry.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
    schema,
    ...(references === undefined ? {} : { references }),
  });
}

/** A page whose clock reads the registry's ManualClock (dates and countdowns match the server). */
async function open(hash: string, viewport = DESKTOP): Promise<Page> {
  const page = await browser.newPage(viewport);
  await page.clock.setFixedTime(registry.clock.now());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => assert.deepEqual(errors, [], 'no script error on the page'));
  await page.goto(`${registry.base}/ui/${hash}`);
  return page;
}

/** Saves the page at both sizes and checks each with axe. */
async function capture(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await assertPageSound(page, `${name} at 1280×800`);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await assertPageSound(page, `${name} at 390×844`);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

before(async () => {
  registry = await startTestRegistry();
  await register('orders-value', recordSchema('Order', ORDER_V1));
  registry.clock.advance(DAY);
  await register('orders-value', recordSchema('Order', ORDER_V2));
  registry.clock.advance(DAY);
  await register('orders-value', recordSchema('Order', ORDER_V3));
  registry.clock.advance(DAY);
  await register('orders-value', recordSchema('Order', ORDER_V4));
  await registry.call('DELETE', '/subjects/orders-value/versions/4');
  await register('money', recordSchema('Money', [{ name: 'cents', type: 'long' }]));
  await register('invoices-value', recordSchema('Invoice', [{ name: 'amount', type: 'shop.Money' }]), [
    { name: 'shop.Money', subject: 'money', version: 1 },
  ]);
  for (let i = 0; i < 30; i++) {
    await register(`sensor-${String(i).padStart(2, '0')}-value`, recordSchema(`Sensor${i}`, ORDER_V1));
  }
  await registry.call('PUT', '/config/invoices-value', { compatibility: 'FULL_TRANSITIVE' });
  await register('wal-value', recordSchema('Wal', ORDER_V1));
  registry.clock.advance(3_600_000);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await registry?.close();
});

describe('subjects', () => {
  test('search finds a subject, paging moves through the list, an empty search says so', async () => {
    const page = await open('#/subjects');
    await waitForText(page, 'table.subjects-table', 'orders-value');
    await waitForText(page, '.page-head', '34 subjects');
    await capture(page, 'subjects');

    await page.getByLabel('Search subjects').fill('ORDERS');
    await waitForText(page, '.page-head', '1 subject match');
    const rows = page.locator('table.subjects-table tbody tr');
    assert.equal(await rows.count(), 1);
    const row = await rows.first().innerText();
    assert.match(row, /orders-value/);
    assert.match(row, /3 live/);
    assert.match(row, /1 soft-deleted/);
    assert.match(row, /1\.2\.0/);

    await page.getByLabel('Match').selectOption('prefix');
    await page.getByLabel('Search subjects').fill('sensor-1');
    await waitForText(page, '.page-head', '10 subjects match');
    await page.getByLabel('Search subjects').fill('zzz');
    await waitForText(page, '.empty', 'No subject starts with “zzz”.');

    await page.goto(`${registry.base}/ui/#/subjects?size=25`);
    await waitForText(page, '.pager', 'Page 1 of 2');
    await page.getByRole('button', { name: 'Next' }).click();
    await waitForText(page, '.pager', 'Page 2 of 2 · 26–34 of 34');
    assert.equal(await page.locator('table.subjects-table tbody tr').count(), 9);
    await page.close();
  });

  test('with the keyboard alone: tab to the search, type, tab to the subject, open it', async () => {
    const page = await open('#/subjects');
    await waitForText(page, 'table.subjects-table', 'orders-value');
    let focused = '';
    for (let i = 0; i < 12 && focused !== 'subject-search'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate('document.activeElement && document.activeElement.id')) as string;
    }
    assert.equal(focused, 'subject-search', 'the search box is reachable with Tab');
    await page.keyboard.type('invoices');
    assert.equal(await page.locator('#subject-search').inputValue(), 'invoices');
    await waitForText(page, '.page-head', '1 subject match');
    // Match, the checkbox, then the first link of the table.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'invoices-value');
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1', 'invoices-value');
    assert.equal(await page.evaluate('document.activeElement.tagName'), 'H1', 'focus moves to the new page');
    await page.close();
  });
});

describe('a subject', () => {
  test('timeline, schema, fingerprints, soft-deleted versions; diff of two versions with verdicts both ways', async () => {
    const page = await open('#/subjects/orders-value');
    await waitForText(page, '.timeline', 'v4');
    const timeline = await page.locator('.timeline').innerText();
    assert.match(timeline, /v4\s+2\.0\.0\s+soft-deleted/);
    assert.match(timeline, /v1\s+1\.0\.0/);
    await waitForText(page, '#version-title', 'Version 3');
    assert.match(await page.locator('.version-panel').innerText(), /CRC-64-AVRO\s+[0-9a-f]{16}/);
    assert.match(await page.locator('section.schema').innerText(), /"name": "note"/);

    // The default comparison is the selected version against the one before it.
    await waitForText(page, '.verdicts', 'Backward');
    assert.match(await page.locator('.verdicts').innerText(), /Under the subject's level, BACKWARD/);

    await page.getByLabel('From', { exact: true }).selectOption('1');
    await page.getByLabel('To', { exact: true }).selectOption('3');
    await waitForText(page, '.verdicts h3', 'v1 (1.0.0) and v3 (1.2.0)');
    const added = page.locator('table.diff td.code.added');
    await added.first().waitFor({ timeout: WAIT_MS });
    assert.match(await page.locator('table.diff').innerText(), /"name": "currency"/);
    assert.equal(await page.locator('table.diff td.code.removed').count(), 0);
    await waitForText(page, '.direction', 'Compatible');

    // Version 4 dropped `total`: version 3 cannot read its data.
    await page.getByLabel('From', { exact: true }).selectOption('3');
    await page.getByLabel('To', { exact: true }).selectOption('4');
    await waitForText(page, '.direction.is-bad', 'Forward');
    const verdicts = await page.locator('.verdicts').innerText();
    assert.match(verdicts, /Backward: v4 \(2\.0\.0\) can read data written with v3 \(1\.2\.0\)/);
    assert.match(
      verdicts,
      /Field “total” of v3 \(1\.2\.0\) has no default value and is missing in v4 \(2\.0\.0\)/,
    );
    assert.match(verdicts, /READER_FIELD_MISSING_DEFAULT_VALUE at \/fields\/1/);
    assert.ok((await page.locator('table.diff td.code.removed').count()) > 0);
    await capture(page, 'subject');

    await page.getByRole('radio', { name: 'Unified' }).check();
    await page.locator('[data-testid="diff-unified"]').waitFor({ timeout: WAIT_MS });
    await page.close();
  });

  test('references and referrers link the two subjects', async () => {
    const page = await open('#/subjects/invoices-value');
    await waitForText(page, '.version-panel', 'money v1');
    await page.getByRole('link', { name: 'money v1' }).click();
    await waitForText(page, 'h1', 'money');
    await waitForText(page, '.version-panel', 'invoices-value v1');
    assert.match(await page.locator('.version-panel').innerText(), /Referenced by\s+invoices-value v1/);
    await page.close();
  });
});

describe('compatibility check', () => {
  test('a failing check shows its message and marks the line; a broken schema shows the parser error at its line', async () => {
    const page = await open('#/check?subject=orders-value');
    const candidate = JSON.stringify(
      {
        type: 'record',
        name: 'Order',
        namespace: 'shop',
        fields: [...ORDER_V3, { name: 'sku', type: 'string' }],
      },
      null,
      2,
    );
    await page.getByLabel('Schema (Avro JSON)').fill(candidate);
    await page.getByLabel('Level').selectOption('BACKWARD_TRANSITIVE');
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await waitForText(page, '#verdict-title', 'Incompatible');
    const verdict = await page.locator('.verdict-card').innerText();
    assert.match(verdict, /under BACKWARD_TRANSITIVE/);
    assert.match(verdict, /Checked against v3, v2, v1\./);
    assert.match(verdict, /Field “sku” of your schema has no default value and is missing in version 3/);
    const skuLine = candidate.split('\n').findIndex((l) => l.includes('"sku"'));
    // The field's object starts on the line before its name.
    const marked = page.locator('.listing li.marked');
    assert.equal(await marked.first().getAttribute('data-line'), String(skuLine));
    assert.match(await marked.first().innerText(), /Backward, versions 3, 2, 1: Field “sku” of your schema/);
    await capture(page, 'check');

    await page
      .getByRole('button', { name: `Edit line ${skuLine}` })
      .first()
      .click();
    assert.equal(await page.evaluate('document.activeElement.id'), 'check-schema');

    await page
      .getByLabel('Schema (Avro JSON)')
      .fill('{"type": "record",\n  "name": "Order",\n  "fields": [{"name": "id", "type": "lng"}]}');
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await waitForText(page, '#verdict-title', 'The schema does not parse');
    const error = await page.locator('.verdict-card .banner-error').innerText();
    assert.match(error, /^Line 3, column 14: field "id" of record "Order": unknown type "lng"/);
    assert.equal(await page.locator('.listing li.marked').getAttribute('data-line'), '3');
    await capture(page, 'check-parse-error');
    await page.close();
  });
});

describe('rollout', () => {
  test('the page follows the agreement live: a lease appears, a new version is blocked, then agreed', async () => {
    const page = await open('#/rollout/wal-value');
    await waitForText(page, '[data-testid="agreed-version"]', '1.0.0');
    await page.locator('[data-testid="no-participants"]').waitFor({ timeout: WAIT_MS });
    const epoch = Number(await page.locator('[data-testid="epoch"]').innerText());

    // A reader that only knows 1.0.x takes a 60 s lease: it appears, counting down.
    await registry.call('PUT', '/negotiation/subjects/wal-value/participants/reader-a', {
      role: 'reader',
      supports: { range: '1.0.x' },
      ttlSeconds: 60,
    });
    await registry.call('PUT', '/negotiation/subjects/wal-value/participants/wal', {
      role: 'writer',
      supports: { range: '^1.0.0' },
      ttlSeconds: 30,
    });
    await waitForText(page, '[data-testid="participants"]', 'reader-a');
    const row = page.locator('[data-testid="participants"] tr', { hasText: 'reader-a' });
    assert.match(await row.innerText(), /reader\s+range 1\.0\.x\s+1\s+—\s+1 min 00 s/);
    await page.clock.setFixedTime(registry.clock.now() + 18_000);
    await waitForText(page, '[data-testid="participants"] tr', '42 s');

    // A compatible version is registered: labelled 1.1.0, blocked by the old reader.
    await register('wal-value', recordSchema('Wal', ORDER_V2));
    await waitForText(page, '[data-testid="blocked"]', 'reader-a');
    assert.match(
      await page.locator('[data-testid="blocked"]').innerText(),
      /1\.1\.0 version 2 is blocked by 1 participant/,
    );
    assert.match(await page.locator('[data-testid="agreed-version"]').innerText(), /1\.0\.0/);

    // The reader upgrades: the agreement moves at once (long-poll), the epoch with it.
    await registry.call('PUT', '/negotiation/subjects/wal-value/participants/reader-a', {
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 60,
    });
    await waitForText(page, '[data-testid="agreed-version"]', '1.1.0');
    assert.equal(Number(await page.locator('[data-testid="epoch"]').innerText()), epoch + 1);
    await waitForText(
      page,
      '[data-testid="activity"]',
      'The agreement moved from 1.0.0 (version 1) to 1.1.0 (version 2)',
    );
    assert.match(
      await page.locator('[data-testid="activity"]').innerText(),
      /Participant reader-a \(reader\) joined\./,
    );
    await page.locator('[data-testid="no-blocked"]').waitFor({ timeout: WAIT_MS });

    // A legacy reader pinned to version 1 joins: the agreement falls back, degraded, with a reason.
    await registry.call('PUT', '/negotiation/subjects/wal-value/participants/legacy', {
      role: 'reader',
      supports: { versions: [1] },
      ttlSeconds: 120,
    });
    await waitForText(page, '.agreement', 'degraded');
    assert.match(await page.locator('.agreement').innerText(), /Fell back from\s+1\.1\.0 \(version 2\)/);
    await waitForText(page, '[data-testid="blocked"]', 'legacy');
    await capture(page, 'rollout');
    await page.close();
  });
});

describe('settings', () => {
  test('a subject level is saved; the API refusal of a mode change is shown as its message', async () => {
    const page = await open('#/settings?subject=orders-value');
    await waitForText(page, '[data-testid="subject-level-value"]', 'BACKWARD');
    await page.getByLabel('New compatibility level').nth(1).selectOption('FULL');
    await page.getByRole('button', { name: 'Save' }).nth(2).click();
    await waitForText(page, '.banner-ok', 'The compatibility level of orders-value is now FULL.');
    await waitForText(page, '[data-testid="subject-level-value"]', 'FULL');
    const config = await registry.call<{ compatibilityLevel: string }>('GET', '/config/orders-value');
    assert.equal(config.compatibilityLevel, 'FULL');

    await page.getByLabel('New mode').nth(1).selectOption('IMPORT');
    await page.getByRole('button', { name: 'Save' }).nth(3).click();
    await waitForText(page, '.banner-error', 'Refused:');
    assert.match(await page.locator('.setting .banner-error').innerText(), /\(error 42205\)/);
    const mode = await registry.call<{ mode: string }>('GET', '/mode/orders-value?defaultToGlobal=true');
    assert.equal(mode.mode, 'READWRITE');
    await capture(page, 'settings');
    await page.close();
  });
});

test('the screenshots are taken at the time the registry shows', () => {
  assert.ok(registry.clock.now() > START);
});
