// 10,000 generated launch requests (fast-check, fixed seed) through the real HTTP API, logged in as
// alice, on the local cluster: arbitrary JSON, wrong types, huge numbers, any Unicode, prototype
// keys, and shell metacharacters in every field, all of them trying to create one canary file.
// Asserted: no 5xx; every refusal says why in words; the canary never appears, even after the valid
// payloads (xterm with the injection as its free-text window title) ran as real jobs up to the
// point where the wrapper had started the app; the database passes its integrity check and holds
// exactly one row per session the API said it created; nothing reached Object.prototype.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import type { SessionDto } from '@vizportal/session-domain';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { waitUntil } from '../faults/fault-helpers';
import { countBy, problemWithErrorBody } from './abuse-helpers';

const PAYLOADS = 10_000;
const CONCURRENCY = 16;
const SEED = 20261128;
const ENDED = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

/** Every way into a shell we could think of, each trying to create the canary file; all fit in 60 characters. */
function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `"; touch ${canary}; "`,
    `'"$(touch ${canary})"'`,
    `\ntouch ${canary}\n`,
    `\r\ntouch ${canary}`,
    `x; touch ${canary}`,
    `x && touch ${canary}`,
    `x || touch ${canary}`,
    `x | touch ${canary}`,
    `x & touch ${canary} &`,
    `>${canary}`,
    `x >> ${canary}`,
    `$(IFS=_;c=touch_${canary};$c)`,
    `\${IFS}touch\${IFS}${canary}`,
    `<(touch ${canary})`,
    `$((0))$(touch ${canary})`,
    `\\'; touch ${canary} #`,
    `'\\''; touch ${canary}; '\\''`,
    `-e touch ${canary}`,
    `%s%n$(touch ${canary})`,
    `\u202e$(touch ${canary})`,
    `日本語 $(touch ${canary}) 🚀`,
    `touch ${canary}\u0000`,
    `\uD800$(touch ${canary})`,
  ];
}

function payloadArbitrary(canary: string): fc.Arbitrary<string> {
  const injection = fc.constantFrom(...injections(canary));
  const catalogIds = fc.constantFrom('desktop', 'xterm', 'gedit', 'gedit-container');
  const text = fc.oneof(
    injection,
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 61, maxLength: 2_000 }),
  );
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Number(n)),
    fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0, 0.25, 0.5, 1, 4, 5, 9999, 1e-9),
  );
  const weird = fc.oneof(
    fc.boolean(),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  // No null here: a null answer means "the default", which would make most of these valid launches.
  const fieldValue = fc.oneof(injection, text, number, weird).filter((value) => value !== null);
  const fieldKey = fc.oneof(
    fc.constantFrom('partition', 'cpus', 'memory', 'hours', 'geometry', 'title'),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      '__defineGetter__',
    ),
    injection,
    fc.string({ maxLength: 20 }),
  );
  const appId = fc.oneof(
    { arbitrary: catalogIds, weight: 4 },
    { arbitrary: injection, weight: 2 },
    {
      arbitrary: fc.constantFrom(
        '../etc/passwd',
        '..%2f..%2fetc%2fpasswd',
        'desktop/../xterm',
        'desktop\u0000',
        '/etc/passwd',
        'DESKTOP',
        ' desktop',
        'x'.repeat(65),
      ),
      weight: 1,
    },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
    { arbitrary: weird, weight: 1 },
  );
  const structured = fc
    .record(
      {
        appId,
        values: fc.oneof(
          { arbitrary: fc.dictionary(fieldKey, fieldValue, { minKeys: 1, maxKeys: 4 }), weight: 5 },
          { arbitrary: weird, weight: 1 },
        ),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
  // Valid launches: the injection in the one free-text field, so the job really runs with it. Those
  // with a line break in it are the exception: a text field is one line, so they are refused (400).
  const validWithInjection = fc
    .record(
      {
        title: injection.filter((title) => !title.includes('\u0000') && !/[\uD800-\uDFFF]/.test(title)),
        hours: fc.constantFrom(0.5, 1),
      },
      { requiredKeys: ['title'] },
    )
    .map((values) => JSON.stringify({ appId: 'xterm', values }));
  // Prototype keys as JSON text: JSON.parse makes them own properties, which JSON.stringify of a JS object cannot.
  const pollution = injection.chain((bad) =>
    fc.constantFrom(
      `{"appId":"xterm","values":{"__proto__":{"title":${JSON.stringify(bad)},"polluted":"yes"}}}`,
      `{"__proto__":{"appId":"xterm","isAdmin":true,"polluted":"yes"},"values":{}}`,
      `{"appId":"xterm","values":{"constructor":{"prototype":{"polluted":"yes"}}}}`,
      `{"appId":"__proto__","values":{"title":${JSON.stringify(bad)}}}`,
      `{"appId":"constructor","values":{}}`,
      `{"appId":"xterm","values":{"title":"a","title":${JSON.stringify(bad)},"__proto__":null}}`,
    ),
  );
  const malformed = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      '{"appId":"xterm","values":{"hours":1e999}}',
      '{"appId":"desktop","values":{"cpus":-1e999}}',
      '{',
      '[]',
      'null',
      '"xterm"',
      '{"appId":"xterm",}',
      '\u0000',
    ),
    fc
      .integer({ min: 1_000, max: 20_000 })
      .map((depth) => `{"appId":"xterm","values":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    fc.constant(JSON.stringify({ appId: 'xterm', values: { title: 'x'.repeat(200_000) } })),
  );
  return fc.oneof(
    { arbitrary: structured, weight: 700 },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? ''), weight: 150 },
    { arbitrary: pollution, weight: 60 },
    { arbitrary: malformed, weight: 78 },
    { arbitrary: validWithInjection, weight: 12 },
  );
}

/** The body as a JSON object, or null when it is not one. */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

interface Outcome {
  body: string;
  status: number;
  problem: string | null;
  sessionId?: string;
}

describe('launch fuzzing through the real API', () => {
  const canary = `/tmp/vizportal-canary-${randomBytes(4).toString('hex')}`;
  let api: ApiTestApp;
  let alice: SessionClient;
  const outcomes: Outcome[] = [];
  const slurmRefusals: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp({ POLL_INTERVAL_SLOW_MS: '500' });
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
  });

  afterAll(async () => {
    const sessions = await alice.listAll();
    for (const session of sessions)
      if (!ENDED.has(session.state)) await alice.request('POST', `/api/sessions/${session.id}/stop`);
    const jobIds = sessions.map((s) => s.jobId).filter((id): id is string => !!id);
    // Belt and braces: whatever the API did not stop, Slurm does.
    if (jobIds.length > 0) execFileSync('scancel', jobIds, { stdio: 'ignore' });
    rmSync(canary, { force: true });
    await api.close();
  }, 120_000);

  it(`answers ${PAYLOADS} generated launch payloads with no 5xx, a sentence for every refusal, and an intact database`, async () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const bodies = fc.sample(payloadArbitrary(canary), { numRuns: PAYLOADS, seed: SEED });
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${api.baseUrl}/api/sessions`, {
          method: 'POST',
          headers: { cookie: alice.cookie, 'content-type': 'application/json' },
          body,
        });
        const text = await response.text();
        const outcome: Outcome = { body, status: response.status, problem: null };
        if (response.status === 201) outcome.sessionId = (JSON.parse(text) as SessionDto).id;
        else outcome.problem = problemWithErrorBody(text);
        if (response.status === 422)
          slurmRefusals.push(`${(JSON.parse(text) as { message: string }).message} for ${body}`);
        outcomes.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const statuses = countBy(outcomes.map((o) => o.status));
    console.log(
      `launch fuzz: ${outcomes.length} payloads, statuses ${JSON.stringify(statuses)}\nrefused by Slurm (422):\n${slurmRefusals.join('\n')}`,
    );
    expect(outcomes).toHaveLength(PAYLOADS);
    expect(
      outcomes
        .filter((o) => o.status >= 500 || o.status < 200)
        .map((o) => `${o.status} ${o.body.slice(0, 200)}`),
    ).toEqual([]);
    expect(
      outcomes
        .filter((o) => o.status >= 400 && o.problem)
        .map((o) => `${o.status} ${o.problem} for ${o.body.slice(0, 120)}`),
    ).toEqual([]);
    // Most payloads are refusals; the few valid ones are real jobs, so their number is kept small.
    expect(statuses['201']).toBeGreaterThan(20);
    expect(statuses['201']).toBeLessThan(400);
    // Slurm refuses none of what validation accepted: a carriage return in the free-text title (which
    // sbatch refuses as "DOS line breaks", a 422) is refused up front with a 400 naming the field.
    expect(slurmRefusals).toEqual([]);
    const lineBreakInTitle = outcomes.filter((o) => {
      const launch = jsonObject(o.body);
      const title = (launch?.['values'] as Record<string, unknown> | undefined)?.['title'];
      return launch?.['appId'] === 'xterm' && typeof title === 'string' && /[\r\n]/.test(title);
    });
    expect(lineBreakInTitle.length).toBeGreaterThan(0);
    expect(lineBreakInTitle.map((o) => `${o.status} ${o.problem ?? ''}`)).toEqual(
      lineBreakInTitle.map(() => '400 '),
    );

    const database = api.app.get(DataSource);
    expect(await database.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // A 422 (Slurm's own refusal) keeps its session, as failed; nothing else leaves a row.
    const created = outcomes.filter((o) => o.status === 201 || o.status === 422).length;
    expect(await database.query('SELECT COUNT(*) AS count FROM sessions')).toEqual([{ count: created }]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(existsSync(canary)).toBe(false);
  }, 300_000);

  it(
    'runs every valid payload as a real job until its app has started, and no canary appears',
    async () => {
      const submitted = new Set(outcomes.filter((o) => o.sessionId).map((o) => o.sessionId as string));
      expect(submitted.size).toBeGreaterThan(0);
      const reached = new Map<string, string>();
      // The cluster runs 8 of these at a time: each is stopped as soon as its desktop is up (the
      // wrapper starts the app before it reports ready), which frees its place for the next.
      await waitUntil(
        `all ${submitted.size} fuzzed sessions to run or end`,
        async () => {
          const sessions = await alice.listAll();
          for (const session of sessions) {
            if (!submitted.has(session.id) || reached.has(session.id)) continue;
            if (session.state === 'running') {
              reached.set(session.id, 'running');
              await alice.request('POST', `/api/sessions/${session.id}/stop`);
            } else if (ENDED.has(session.state)) {
              reached.set(
                session.id,
                `${session.state}: ${session.appId} ${session.endReason ?? ''} ${session.message ?? session.headline}`,
              );
            }
          }
          return reached.size === submitted.size;
        },
        15 * 60_000,
        500,
      );
      const byOutcome = countBy([...reached.values()].map((how) => how.split(':')[0]));
      const byApp = countBy(
        outcomes.filter((o) => o.sessionId).map((o) => (JSON.parse(o.body) as { appId: string }).appId),
      );
      const failures = [...new Set([...reached.values()].filter((how) => how !== 'running'))].join('\n');
      console.log(
        `launch fuzz: ${submitted.size} valid payloads (${JSON.stringify(byApp)}) ran as jobs: ${JSON.stringify(byOutcome)}; canary ${canary} present: ${existsSync(canary)}\n${failures}`,
      );
      // Every valid launch of an app this cluster can run must have run, not failed (the xterm
      // payloads carry the injection). The container app needs apptainer, which the dev cluster
      // lacks: its desktop may come up (it reports ready before the app starts), else it must end
      // failed, saying so.
      const apptainer = spawnSync('bash', ['-c', 'command -v apptainer']).status === 0;
      const runsHere = (appId: string) => apptainer || appId !== 'gedit-container';
      const launched = outcomes
        .filter((o) => o.sessionId)
        .map((o) => ({
          appId: (JSON.parse(o.body) as { appId: string }).appId,
          how: reached.get(o.sessionId as string) ?? '',
          body: o.body,
        }));
      expect(
        launched.filter((l) => runsHere(l.appId) && l.how !== 'running').map((l) => `${l.how} ${l.body}`),
      ).toEqual([]);
      expect(
        launched
          .filter((l) => !runsHere(l.appId) && l.how !== 'running' && !/^failed: .*apptainer/s.test(l.how))
          .map((l) => `${l.how} ${l.body}`),
      ).toEqual([]);
      expect(existsSync(canary)).toBe(false);
    },
    16 * 60_000,
  );
});
