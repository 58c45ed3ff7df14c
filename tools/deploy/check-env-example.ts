// Checks tools/deploy/vizportal.env.example against the API's config schema (app-config.ts, which
// includes auth-config.ts): every variable the schema reads is in the file exactly once and nothing
// else is; the defaults the file states parse to exactly the schema's own defaults; and the file's
// production values are valid. Run by tools/ci/deploy-checks.sh with ts-node and tsconfig-paths.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { appConfigSchema } from '../../apps/api/src/config/app-config';

// The file to check: the argument (CI also feeds it a damaged copy, which must fail), else the example.
const file = process.argv[2] ?? join(__dirname, 'vizportal.env.example');
const lines = readFileSync(file, 'utf8').split('\n');
const problems: string[] = [];

const defaults: Record<string, string> = {};
const values: Record<string, string> = {};
lines.forEach((line, index) => {
  const match = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  if (!match) return;
  const [, commented, name, value] = match;
  if (name in defaults) problems.push(`${name} is listed twice`);
  if (commented) {
    defaults[name] = value;
    return;
  }
  values[name] = value;
  // A set variable names its default in its comment block, just above it.
  let stated: string | undefined;
  for (let above = index - 1; above >= 0 && lines[above].startsWith('#'); above--) {
    const note = /^# default: (.*)$/.exec(lines[above]);
    if (note) {
      stated = note[1] === '(empty)' ? '' : note[1];
      break;
    }
  }
  if (stated === undefined) problems.push(`${name} is set but its comment names no "# default: …"`);
  defaults[name] = stated ?? '';
});

const schemaNames = Object.keys(appConfigSchema.shape).sort();
const fileNames = Object.keys(defaults).sort();
for (const name of schemaNames.filter((n) => !(n in defaults)))
  problems.push(`${name} is read by the API but missing from the file`);
for (const name of fileNames.filter((n) => !schemaNames.includes(n)))
  problems.push(`${name} is in the file but the API does not read it`);

const builtIn = appConfigSchema.parse({});
const stated = appConfigSchema.safeParse(defaults);
if (!stated.success) {
  problems.push(
    `the stated defaults do not parse: ${stated.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
} else {
  for (const name of schemaNames) {
    const actual = (builtIn as Record<string, unknown>)[name];
    const claimed = (stated.data as Record<string, unknown>)[name];
    if (!isDeepStrictEqual(actual, claimed)) {
      problems.push(
        `${name}: the file says ${JSON.stringify(defaults[name])} (${JSON.stringify(claimed)}), the code's default is ${JSON.stringify(actual)}`,
      );
    }
  }
}

const production = appConfigSchema.safeParse({ ...defaults, ...values });
if (!production.success) {
  problems.push(
    `the file's own settings are invalid: ${production.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
}

if (problems.length > 0) {
  console.error(`check-env-example: FAIL - ${file}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `check-env-example: ok - all ${schemaNames.length} variables of the config schema are listed once with their exact defaults; ${Object.keys(values).length} set for production parse`,
);
