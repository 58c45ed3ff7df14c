// Site governance in Chromium: an app limited to a group is not in alice's launcher and its deep
// link says whom it is for; the launcher shows her quota; she has no Admin link and /admin sends
// her back. The administrator's page lists her, records what happened, and giving her the group
// puts the app in her launcher. Its live-sessions tab follows alice's desktop over the socket: it
// appears, shows her connected while her browser has it open, and the administrator stops it.
import type { Browser } from 'playwright-core';
import { launchBrowser, logIn, newUserPage, screenshot } from './support/browser';
import { readPortalEnv } from './support/portal-env';

const env = readPortalEnv();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('site governance in the browser', () => {
  it('hides a restricted app from alice, explains its deep link, shows her quota, and keeps her out of the admin page', async () => {
    const { context, page } = await newUserPage(browser, env.baseUrl);
    await logIn(page, env.alice);
    await page.goto('/apps');
    await page.getByTestId('app-card').first().waitFor();
    const appIds = await page
      .getByTestId('app-card')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-app-id')));
    expect(appIds).toContain('xterm');
    expect(appIds).not.toContain('cae-xterm');

    const quota = page.getByTestId('quota-usage').locator('[data-quota="cpus"]');
    await quota.waitFor();
    expect(await quota.textContent()).toMatch(/CPUs in live sessions\s*0 of 64/);
    await screenshot(page, 'launcher-quota');

    await page.goto('/apps/cae-xterm');
    const unavailable = page.getByTestId('app-unavailable');
    await unavailable.getByText('limited by your site to members of cae-users').waitFor();
    expect(await unavailable.textContent()).toContain(
      'CAE terminal is limited by your site to members of cae-users.',
    );
    await screenshot(page, 'app-restricted');

    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    await page.goto('/admin');
    await page.waitForURL((url) => url.pathname === '/sessions');
    await context.close();
  });

  it('lets the administrator see the audit log and give alice the group, after which the app is in her launcher', async () => {
    const { context, page } = await newUserPage(browser, env.baseUrl);
    await logIn(page, env.admin);
    await page.getByTestId('nav-admin').click();
    await page.waitForURL((url) => url.pathname === '/admin');

    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('admin-audit-row').first().waitFor();
    const audit = await page.getByTestId('admin-audit-row').allTextContents();
    expect(audit.some((row) => row.includes('alice') && row.includes('login'))).toBe(true);
    await screenshot(page, 'admin-audit');

    await page.getByTestId('admin-tab-users').click();
    const aliceRow = page.getByTestId('admin-user-row').filter({ hasText: 'alice' });
    await aliceRow.waitFor();
    await page.getByTestId('admin-audit-row').first().waitFor({ state: 'detached' }); // the tab's slide is over
    await screenshot(page, 'admin-users');
    await context.close();

    // The group itself is given through the API the page uses: the page's own form is covered by its unit tests.
    const cookie = await fetch(`${env.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(env.admin),
    }).then((response) => response.headers.get('set-cookie')?.split(';')[0] ?? '');
    const granted = await fetch(`${env.baseUrl}/api/users/alice`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ groups: ['cae-users'] }),
    });
    expect(granted.status).toBe(200);

    const alice = await newUserPage(browser, env.baseUrl);
    await logIn(alice.page, env.alice);
    await alice.page.goto('/apps');
    await alice.page.locator('[data-app-id="cae-xterm"]').waitFor();
    await alice.context.close();
  });

  it("follows alice's desktop live on the admin page: it appears, shows her connected, and the administrator stops it", async () => {
    const admin = await newUserPage(browser, env.baseUrl);
    const alice = await newUserPage(browser, env.baseUrl);
    try {
      await logIn(admin.page, env.admin);
      await admin.page.goto('/admin');
      await admin.page.getByTestId('admin-tab-sessions').waitFor();

      // Launched from alice's own page after the admin's table is on screen: only the socket can bring it there.
      await logIn(alice.page, env.alice);
      const launched = await alice.page.evaluate(async () => {
        const response = await fetch('/api/sessions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appId: 'xterm', values: {} }),
        });
        return { status: response.status, body: (await response.json()) as { id: string } };
      });
      expect(launched.status).toBe(201);
      const sessionId = launched.body.id;
      const row = admin.page.locator(`[data-testid=admin-session-row][data-session-id="${sessionId}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.textContent()).toContain('alice');
      await row.locator('vp-state-chip[data-state=running]').waitFor({ timeout: 240_000 });
      expect((await row.getByTestId('admin-session-viewers').textContent())?.trim()).toBe('No');

      await alice.page.goto(`/sessions/${sessionId}/desktop`);
      await alice.page.locator('[data-vnc-status=connected]').waitFor({ timeout: 30_000 });
      await row.getByTestId('admin-session-viewers').getByText('alice').waitFor({ timeout: 10_000 });
      await screenshot(admin.page, 'admin-sessions');

      await row.getByTestId('admin-stop').click();
      await admin.page.getByTestId('confirm').click();
      await row.waitFor({ state: 'detached', timeout: 60_000 });
      await alice.page.getByTestId('session-ended').waitFor({ timeout: 60_000 });
    } finally {
      await admin.context.close();
      await alice.context.close();
    }
  });
});
