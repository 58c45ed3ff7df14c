// The portal end to end, in Chromium, against the real API and the local Slurm cluster: alice logs
// in, is stopped by the form when a value is out of range, launches a desktop and watches its card
// go live to running, opens the desktop (real pixels; keys reach the xterm), gives it more time,
// and stops it; bob then sees none of it. The steps share alice's browser page and session, so they run in order; after a
// failed step the later ones fail too (read the first failure).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionDto } from '@vizportal/session-domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, logIn, newUserPage, screenshot } from './support/browser';
import { readPortalEnv } from './support/portal-env';

const env = readPortalEnv();

interface CanvasStats {
  width: number;
  height: number;
  colours: number;
  /** Share of sampled pixels that are the most common colour. */
  dominantShare: number;
}

let browser: Browser;
let alice: { context: BrowserContext; page: Page };
let sessionId = '';

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** All of the user's sessions: the first page of GET /api/sessions and every older one. */
async function sessionCount(page: Page): Promise<number> {
  let count = 0;
  let before: string | null = null;
  do {
    const response = await page.request.get('/api/sessions', {
      params: { limit: 100, ...(before ? { before } : {}) },
    });
    expect(response.status()).toBe(200);
    const list = (await response.json()) as { sessions: unknown[]; nextBefore: string | null };
    count += list.sessions.length;
    before = list.nextBefore;
  } while (before);
  return count;
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

/** Samples the noVNC canvas: how many colours, and how much of it is one colour. */
function readCanvas(page: Page): Promise<CanvasStats | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=vnc-screen] canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
    const context = canvas.getContext('2d');
    if (!context) return null;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map<number, number>();
    let samples = 0;
    // Every 7th pixel is plenty to tell a desktop from a blank frame.
    for (let i = 0; i < data.length; i += 4 * 7) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
      samples++;
    }
    const dominant = Math.max(...counts.values());
    return {
      width: canvas.width,
      height: canvas.height,
      colours: counts.size,
      dominantShare: dominant / samples,
    };
  });
}

/**
 * Where the xterm is on the canvas, in canvas fractions: the box of its white background, wherever
 * openbox placed it.
 */
function findXterm(page: Page): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=vnc-screen] canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0) return null;
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    let minX = width,
      minY = height,
      maxX = -1,
      maxY = -1;
    for (let y = 0; y < height; y += 4) {
      for (let x = 0; x < width; x += 4) {
        const i = (y * width + x) * 4;
        if (data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    if (maxX < 0 || maxX - minX < 50 || maxY - minY < 50) return null;
    return { x: (minX + maxX) / 2 / width, y: (minY + maxY) / 2 / height };
  });
}

describe('vizportal in the browser', () => {
  it('sends a visitor to the login page, refuses a wrong password and logs alice in', async () => {
    alice = await newUserPage(browser, env.baseUrl);
    const { page } = alice;
    await page.goto('/sessions');
    await page.waitForURL(/\/login\?returnUrl=%2Fsessions/);
    await page.getByTestId('login-username').waitFor();
    await screenshot(page, 'login');

    await page.getByTestId('login-username').fill(env.alice.username);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(
      'Wrong user name or password',
    );

    await logIn(page, env.alice);
    expect(new URL(page.url()).pathname).toBe('/sessions');
    await page.getByTestId('empty-launch').waitFor();
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('alice');
  });

  it('shows an out-of-range value as an error at its field and submits nothing', async () => {
    const { page } = alice;
    await page.getByTestId('nav-apps').click();
    await page.locator('[data-testid=app-card][data-app-id=desktop]').waitFor();
    await page.getByTestId('cluster-capacity').waitFor();
    await screenshot(page, 'launcher');

    await page.locator('[data-testid=app-card][data-app-id=desktop]').click();
    await page.waitForURL(/\/apps\/desktop$/);
    await page.getByTestId('partition-hint').waitFor();
    const before = await sessionCount(page);
    let posted = 0;
    const countPosts = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/sessions') posted++;
    };
    page.on('request', countPosts);

    await page.getByTestId('field-cpus').fill('99');
    await page.getByTestId('launch-submit').click();
    await expect(page.getByTestId('error-cpus').textContent()).resolves.toContain('At most 4');
    await page.waitForTimeout(500);
    expect(posted).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/apps/desktop');
    expect(await sessionCount(page)).toBe(before);
    await screenshot(page, 'launch-form-error');
    page.off('request', countPosts);
  });

  it('launches a desktop and its card goes through queued or starting to running, live', async () => {
    const { page } = alice;
    // Every state each card shows, recorded in the page; a reload would lose the recorder.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __cardStates: string[] }).__cardStates = seen;
      const record = () => {
        document.querySelectorAll<HTMLElement>('[data-testid=session-card]').forEach((card) => {
          const entry = `${card.dataset['sessionId']}:${card.dataset['state']}`;
          if (!seen.includes(entry)) seen.push(entry);
        });
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });

    await page.getByTestId('field-cpus').fill('1');
    await page.getByTestId('launch-submit').click();
    await page.waitForURL(/\/sessions\?highlight=/);
    sessionId = new URL(page.url()).searchParams.get('highlight') ?? '';
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const card = page.locator(`[data-testid=session-card][data-session-id="${sessionId}"]`);
    await card.waitFor();
    await page
      .locator(`[data-testid=session-card][data-session-id="${sessionId}"][data-state=running]`)
      .waitFor({ timeout: 240_000 });

    const states = await page.evaluate(
      (id) =>
        (window as unknown as { __cardStates?: string[] }).__cardStates
          ?.filter((entry) => entry.startsWith(`${id}:`))
          .map((entry) => entry.split(':')[1]),
      sessionId,
    );
    expect(states).toBeDefined();
    expect(states?.[0]).toMatch(/^(submitting|queued|starting)$/);
    expect(states?.some((state) => state === 'queued' || state === 'starting')).toBe(true);
    expect(states?.at(-1)).toBe('running');
    await expect(card.getByTestId('session-node').textContent()).resolves.toMatch(/viz0[12]/);
    await page.mouse.move(0, 0);
    await screenshot(page, 'sessions');
  });

  it('opens the desktop, which shows the real desktop (not a blank frame)', async () => {
    const { page } = alice;
    await page
      .locator(`[data-testid=session-card][data-session-id="${sessionId}"]`)
      .getByTestId('open-desktop')
      .click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}/desktop$`));
    try {
      await page.locator('[data-vnc-status=connected]').waitFor({ timeout: 30_000 });
    } catch (error) {
      // Keep what the user would have seen, to tell a proxy refusal from a desktop that never drew.
      await screenshot(page, 'desktop-not-connected');
      const status = await page
        .locator('[data-vnc-status]')
        .first()
        .getAttribute('data-vnc-status')
        .catch(() => null);
      throw new Error(
        `the desktop did not connect (status: ${status}); see artifacts/screenshots/desktop-not-connected.png and artifacts/e2e-api.log`,
        { cause: error },
      );
    }
    await page.getByTestId('desktop-overlay').waitFor({ state: 'detached' });

    // The desktop's background alone is one colour; the xterm window on it (about a tenth of the
    // screen) is what makes the frame a real desktop, and what the next step types into.
    const stats = await until(
      () => readCanvas(page),
      (value) => value !== null && value.colours > 1 && value.dominantShare < 0.98,
      30_000,
      'a painted desktop with its xterm',
    ).catch(async (error: unknown) => {
      await screenshot(page, 'desktop-not-painted');
      throw error;
    });
    expect(stats?.width).toBeGreaterThan(0);
    expect(stats?.colours).toBeGreaterThan(1);
    expect(stats?.dominantShare).toBeLessThan(0.98);
    await screenshot(page, 'desktop');
  });

  it('sends keys to the xterm: a command typed in the browser creates a file on the node', async () => {
    const { page } = alice;
    const marker = `e2e-marker-${randomBytes(4).toString('hex')}`;
    const canvas = page.locator('[data-testid=vnc-screen] canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the desktop canvas has no box');
    // A click on the xterm focuses it (and gives the canvas the keyboard), wherever it was placed.
    const xterm = await until(() => findXterm(page), Boolean, 15_000, 'the xterm on the desktop');
    if (!xterm) throw new Error('no xterm on the desktop');
    await page.mouse.click(box.x + box.width * xterm.x, box.y + box.height * xterm.y);
    await page.keyboard.type(`touch ${marker}`, { delay: 20 });
    await page.keyboard.press('Enter');

    const file = join(env.stagingDir, sessionId, marker);
    await until(async () => existsSync(file), Boolean, 15_000, `${file} to appear`);
  });

  it('gives the running desktop 30 minutes more through Slurm, and its card shows them at once', async () => {
    const { page } = alice;
    await page.getByRole('link', { name: 'Back to my sessions' }).click();
    await page.waitForURL(/\/sessions$/);
    const read = async () =>
      (await (await page.request.get(`/api/sessions/${sessionId}`)).json()) as SessionDto;
    const before = await read();
    if (before.timeLimitMinutes === null) throw new Error('the desktop has no time limit');
    const card = page.locator(`[data-testid=session-card][data-session-id="${sessionId}"]`);
    await card.getByTestId('extend').click();
    await page.getByTestId('extend-30').click();
    await page.getByText(/has 30 min more/).waitFor();
    const after = await read();
    expect(after).toMatchObject({ timeLimitMinutes: before.timeLimitMinutes + 30, extendedMinutes: 30 });
    // The card's time left, from the socket's copy: more than the old limit allowed at all.
    const left = (await card.locator('.vp-facts dd').nth(2).textContent())?.trim();
    expect(left).toMatch(/^1 h (2\d|30) min$/);
    await screenshot(page, 'session-more-time');
  });

  it('stops the session, and the card shows it cancelled', async () => {
    const { page } = alice;
    const card = page.locator(`[data-testid=session-card][data-session-id="${sessionId}"]`);
    await card.getByTestId('stop').click();
    await page.getByTestId('confirm').click();
    await page
      .locator(`[data-testid=session-card][data-session-id="${sessionId}"][data-state=cancelled]`)
      .waitFor({ timeout: 60_000 });
    await expect(card.getByTestId('session-headline').textContent()).resolves.toContain('stopped by you');
    await screenshot(page, 'sessions-ended');
  });

  it("shows bob none of alice's sessions", async () => {
    const bob = await newUserPage(browser, env.baseUrl);
    try {
      const { page } = bob;
      await logIn(page, env.bob);
      await page.getByTestId('empty-launch').waitFor();
      expect(await page.getByTestId('session-card').count()).toBe(0);
      await screenshot(page, 'sessions-empty');
      expect(await sessionCount(page)).toBe(0);
      // Nor can he reach her desktop by its address.
      await page.goto(`/sessions/${sessionId}/desktop`);
      await page.locator('[data-overlay=missing]').waitFor();
    } finally {
      await bob.context.close();
    }
  });
});
