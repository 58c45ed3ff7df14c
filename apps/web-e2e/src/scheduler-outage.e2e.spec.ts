// Slurm's controller goes away while alice has the portal open in Chromium: the page says so with a
// banner pushed over the socket (no reload, no UI polling), and the banner goes once slurmctld is back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, logIn, newUserPage, screenshot } from './support/browser';
import { REPO_ROOT, readPortalEnv } from './support/portal-env';

const env = readPortalEnv();
const DEV_CLUSTER = join(REPO_ROOT, 'tools/dev-cluster/dev-cluster.sh');
// The poller notices at its next tick; a tick already waiting on the dead controller ends by the
// API's command time-out (15 s by default).
const NOTICE_MS = 60_000;

function devCluster(command: string): Promise<unknown> {
  return promisify(execFile)('bash', [DEV_CLUSTER, command], { timeout: 180_000 });
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  // Never leave the cluster without its controller, whatever failed above.
  await devCluster('up');
  await browser?.close();
});

describe('the portal while Slurm is away', () => {
  it('shows that Slurm is not answering while slurmctld is down, and clears it when it is back, on the same page', async () => {
    const { page } = await newUserPage(browser, env.baseUrl);
    await logIn(page, env.alice);
    await page.getByTestId('user-menu').waitFor();
    // A mark on this page: were the banner to come from a reload, the mark would be gone.
    await page.evaluate(() => Object.assign(window, { vizportalE2eMark: 'no reload' }));
    const banner = page.getByTestId('scheduler-banner');
    expect(await banner.count()).toBe(0);

    await devCluster('stop-ctld');
    try {
      await banner.waitFor({ state: 'visible', timeout: NOTICE_MS });
      await expect(banner.textContent()).resolves.toContain('Slurm is not answering');
      await screenshot(page, 'scheduler-unreachable');
    } finally {
      await devCluster('start-ctld');
    }

    await banner.waitFor({ state: 'detached', timeout: NOTICE_MS });
    await expect(
      page.evaluate(() => (window as unknown as { vizportalE2eMark?: string }).vizportalE2eMark),
    ).resolves.toBe('no reload');
  });
});
