/**
 * The staff flows in real headless Chromium against a fresh platform with
 * the shipped CRM: sign-in, creating an organization through the generated
 * form (a validation error shown at its field, then fixed), filtering and
 * sorting the list, logging a call and accepting the proposed next contact,
 * and switching the UI to Russian. Screenshots go to test-artifacts/browser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserUnavailable, startUiSession, type UiSession } from './harness.ts';

const skip = browserUnavailable() ?? false;

describe('CRM flows in the browser', { skip }, () => {
  let ui: UiSession;
  let orgId = '';
  before(async () => {
    ui = await startUiSession();
    const seed = [
      { name: 'Northwind Trading', city: 'Moscow', category: 'client', rating: 5, industry: 'retail', headcount: 120 },
      { name: 'Volga Steel', city: 'Kazan', category: 'prospect', rating: 2, industry: 'manufacturing', headcount: 900 },
      { name: 'Baltic Logistics', city: 'Saint Petersburg', category: 'partner', rating: 4, industry: 'logistics', headcount: 45 },
      { name: 'Moscow Fintech Lab', city: 'Moscow', category: 'prospect', rating: 3, industry: 'finance', headcount: 30 },
    ];
    for (const data of seed) {
      const created = await ui.api.request<{ _id: string }>('POST', '/api/v1/data/organization', data);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      if (data.name === 'Northwind Trading') orgId = created.body._id;
    }
    // A contact person and an earlier call, so the client summary has related records and history.
    const person = await ui.api.request<{ _id: string }>('POST', '/api/v1/data/person', { lastName: 'Smirnova', firstName: 'Anna', patronymic: 'Petrovna', mobilePhone: '+7 916 123-45-67' });
    await ui.api.request('POST', '/api/v1/data/employment', { person: person.body._id, organization: orgId, position: 'Head of procurement', isPrimary: true, startDate: '2023-04-01' });
    const earlier = await ui.api.request('POST', '/api/v1/data/activity', { type: 'meeting', subject: 'Kick-off at their office', status: 'held', heldAt: '2026-11-20T09:00:00Z', organization: orgId, person: person.body._id, result: 'Needs a quote for 40 seats' });
    assert.equal(earlier.status, 201, JSON.stringify(earlier.body));
  });
  after(async () => ui?.close());

  it('signs in through the sign-in page and shows navigation built from metadata', async () => {
    const { page } = ui;
    await page.goto(ui.baseUrl);
    await page.getByLabel('E-mail').fill('admin@test.local');
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await ui.screenshot('01-sign-in-refused');
    await ui.signIn();
    const nav = page.getByRole('navigation');
    for (const label of ['Organizations', 'People', 'Activities', 'My day']) await nav.getByRole('link', { name: label }).waitFor();
    await ui.screenshot('02-my-day');
  });

  it('creates an organization through the form: a bad INN is refused at its field, then fixed', async () => {
    const { page } = ui;
    await page.getByRole('navigation').getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('link', { name: '+ New' }).click();
    await page.getByLabel(/^Name/).fill('Acme Validation LLC');
    await page.getByLabel('Tax id (INN)').fill('12345');
    await page.getByRole('radio', { name: 'Client' }).click();
    // Keyboard: arrows move the choice within the radio group, focus follows.
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('radio', { name: 'Partner' }).getAttribute('aria-checked'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('radio', { name: 'Client' }).getAttribute('aria-checked'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Client');
    await page.getByRole('button', { name: 'Create' }).click();
    const error = page.locator('[data-field="taxId"] .error');
    await error.waitFor();
    assert.match(await error.innerText(), /must be a valid INN: it has 10 digits for an organisation or 12 for an individual, not 5/);
    assert.equal(await page.getByLabel('Tax id (INN)').getAttribute('aria-invalid'), 'true');
    await ui.screenshot('03-form-validation-error');
    const none = await ui.api.request<{ total: number }>('GET', `/api/v1/data/organization?filter=${encodeURIComponent(JSON.stringify({ name: 'Acme Validation LLC' }))}`);
    assert.equal(none.body.total, 0, 'nothing is sent while the form is invalid');

    await page.getByLabel('Tax id (INN)').fill('7707083893');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Acme Validation LLC' }).waitFor();
    const created = await ui.api.request<{ items: Array<{ taxId: string; category: string }> }>('GET', `/api/v1/data/organization?filter=${encodeURIComponent(JSON.stringify({ name: 'Acme Validation LLC' }))}`);
    assert.equal(created.body.items.length, 1);
    assert.equal(created.body.items[0]!.taxId, '7707083893');
    assert.equal(created.body.items[0]!.category, 'client');
    await ui.screenshot('04-record-created');
  });

  it('explains a conflicting edit (409) and overwrites with the current version on request', async () => {
    const { page } = ui;
    await page.goto(`${ui.baseUrl}/e/organization/${orgId}/edit`);
    await page.getByLabel('City').fill('Tver');
    // Someone else saves meanwhile.
    const other = await ui.api.request('PATCH', `/api/v1/data/organization/${orgId}`, { notes: 'changed elsewhere' });
    assert.equal(other.status, 200);
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alertdialog');
    await conflict.getByText('Someone else changed this record').waitFor();
    await ui.screenshot('04b-conflict');
    await conflict.getByRole('button', { name: 'Overwrite' }).click();
    await page.waitForURL(`${ui.baseUrl}/e/organization/${orgId}`);
    const stored = await ui.api.request<{ city: string; notes: string }>('GET', `/api/v1/data/organization/${orgId}`);
    assert.equal(stored.body.city, 'Tver', 'our edit was written');
    assert.equal(stored.body.notes, 'changed elsewhere', 'fields we did not touch keep the other change');
    await ui.api.request('PATCH', `/api/v1/data/organization/${orgId}`, { city: 'Moscow' });
  });

  it('filters the list by text and enum, and sorts by a column header both ways', async () => {
    const { page } = ui;
    await page.goto(`${ui.baseUrl}/e/organization`);
    const firstCells = () => page.locator('table.grid tbody tr td:nth-child(2)').allInnerTexts();
    const seeded = ['Northwind Trading', 'Volga Steel', 'Baltic Logistics', 'Moscow Fintech Lab'];
    /** Waits until the first column shows `expected` (only seeded names when `onlySeeded`), else fails showing what it saw. */
    const expectRows = async (expected: string[], onlySeeded = false) => {
      const deadline = Date.now() + 8000;
      let seen: string[] = [];
      while (Date.now() < deadline) {
        seen = (await firstCells()).filter((name) => !onlySeeded || seeded.includes(name));
        if (JSON.stringify(seen) === JSON.stringify(expected)) return;
        await page.waitForTimeout(100);
      }
      assert.deepEqual(seen, expected);
    };
    await page.getByRole('button', { name: 'Sort by Rating' }).click();
    await page.locator('th[aria-sort="ascending"]').waitFor();
    await expectRows(['Volga Steel', 'Moscow Fintech Lab', 'Baltic Logistics', 'Northwind Trading'], true);
    await page.getByRole('button', { name: 'Sort by Rating' }).click();
    await page.locator('th[aria-sort="descending"]').waitFor();
    await expectRows(['Northwind Trading', 'Baltic Logistics', 'Moscow Fintech Lab', 'Volga Steel'], true);

    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByRole('region', { name: 'Filters' }).getByLabel('City contains').fill('moscow');
    await expectRows(['Northwind Trading', 'Moscow Fintech Lab']);
    await page.getByRole('group', { name: 'Category' }).getByRole('button', { name: 'Prospect' }).click();
    await expectRows(['Moscow Fintech Lab']);
    assert.match(await page.getByTestId('list-count').innerText(), /1 of 1/);
    await ui.screenshot('05-list-filtered');

    // Saved as a shared view (a savedView record), then applied again after the filters were cleared.
    await page.getByRole('button', { name: 'Views' }).click();
    await page.getByLabel('View name').fill('Moscow prospects');
    await page.getByLabel('Shared with everyone').check();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: /^Moscow prospects/ }).waitFor();
    await page.keyboard.press('Escape');
    const views = await ui.api.request<{ items: Array<{ name: string; entity: string }> }>('GET', '/api/v1/data/savedView');
    assert.deepEqual(views.body.items.map((v) => [v.entity, v.name]), [['organization', 'Moscow prospects']]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectRows(['Northwind Trading', 'Baltic Logistics', 'Moscow Fintech Lab', 'Volga Steel', 'Acme Validation LLC']);
    await page.getByRole('button', { name: 'Views' }).click();
    await page.getByRole('button', { name: /^Moscow prospects/ }).click();
    await expectRows(['Moscow Fintech Lab']);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectRows(['Northwind Trading', 'Baltic Logistics', 'Moscow Fintech Lab', 'Volga Steel', 'Acme Validation LLC']);
    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    await ui.screenshot('list-view');
    await page.getByLabel('Search', { exact: true }).fill('baltic');
    await expectRows(['Baltic Logistics']);
  });

  it('logs a call from the organization page, records its result and plans the proposed next contact', async () => {
    const { page } = ui;
    await page.goto(`${ui.baseUrl}/e/organization/${orgId}`);
    await page.getByTestId('summary').waitFor();
    await page.getByRole('button', { name: '+ Log Call' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Subject').fill('Discussed the annual contract');
    await dialog.getByRole('radio', { name: 'Held' }).click();
    await dialog.getByLabel('Result').fill('Agreed to send a proposal');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('heading', { name: 'Proposed next contact' }).waitFor();
    assert.equal(await dialog.getByLabel('Subject').inputValue(), 'Follow-up: Discussed the annual contract');
    assert.notEqual(await dialog.getByLabel('Planned start').inputValue(), '');
    await ui.screenshot('06-next-contact-proposed');
    await dialog.getByRole('button', { name: 'Plan it' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('tabpanel').getByText('Follow-up: Discussed the annual contract').waitFor();

    const items = await ui.api.request<{ items: Array<Record<string, unknown>> }>('GET', `/api/v1/data/activity?sort=createdAt&filter=${encodeURIComponent(JSON.stringify({ organization: orgId }))}`);
    assert.equal(items.body.items.length, 3);
    const [, call, next] = items.body.items as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    assert.equal(call.status, 'held');
    assert.equal(call.result, 'Agreed to send a proposal');
    assert.equal(next.status, 'planned');
    assert.equal(next.previousActivity, call._id);
    assert.equal(next.type, 'call');
    await page.getByTestId('summary').getByText('Follow-up: Discussed the annual contract').waitFor();
    await ui.screenshot('client-summary');
  });

  it('switches the whole UI to Russian: own strings and metadata labels', async () => {
    const { page } = ui;
    await page.goto(`${ui.baseUrl}/e/organization`);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByLabel('Language').selectOption('ru');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Организации' }).waitFor();
    await nav.getByRole('link', { name: 'Мой день' }).waitFor();
    await page.getByRole('heading', { name: 'Организации' }).waitFor();
    await page.getByRole('button', { name: 'Сортировать по «Рейтинг»' }).waitFor();
    await page.getByRole('link', { name: '+ Создать' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    await page.keyboard.press('Escape');
    await ui.screenshot('08-list-russian');
    await page.goto(`${ui.baseUrl}/e/organization/${orgId}`);
    await page.getByRole('button', { name: '+ Записать: Звонок' }).waitFor();
    await page.getByTestId('summary').getByText('Сводка').waitFor();
  });

  it('fits a tablet: the sidebar folds behind a menu button that opens it', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 800, height: 1100 });
    await page.goto(`${ui.baseUrl}/e/organization/${orgId}`);
    await page.getByTestId('summary').waitFor();
    assert.equal(await page.getByRole('navigation').isVisible(), false);
    await page.getByRole('button', { name: 'Навигация' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Организации' }).waitFor();
    await ui.screenshot('12-tablet-nav');
    await page.setViewportSize({ width: 1360, height: 860 });
  });
});
