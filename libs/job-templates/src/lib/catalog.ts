/**
 * The app catalog: every manifest in one directory, parsed and validated at load.
 *
 * Loading is all-or-nothing: one bad manifest refuses the whole catalog with a CatalogError that names
 * the file and the field path, so the API fails at start-up instead of offering a half-broken app.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { appManifestSchema, type AppManifest } from './app-manifest.schema';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface CatalogIssue {
  /** Where in the manifest, e.g. `form[1].max` or `slurm.cpus.field`; empty for the file as a whole. */
  path: string;
  message: string;
}

/** A manifest (or the catalog directory) that can't be used; `file` and `issues` say where and why. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';

  constructor(
    readonly file: string,
    readonly issues: readonly CatalogIssue[],
  ) {
    super(
      `${file}: ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`,
    );
  }
}

/** The loaded apps, looked up by id; request values never index anything else. */
export class Catalog {
  private readonly byId: ReadonlyMap<string, AppManifest>;

  constructor(readonly apps: readonly AppManifest[]) {
    this.byId = new Map(apps.map((app) => [app.id, app]));
  }

  get(id: string): AppManifest | undefined {
    return this.byId.get(id);
  }
}

/** Parses one manifest's text; `file` is only used to name it in errors. */
export function parseAppManifest(source: string, file: string): AppManifest {
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    throw new CatalogError(file, [
      {
        path: '',
        message: `is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      },
    ]);
  }
  const result = appManifestSchema.safeParse(data);
  if (!result.success) throw new CatalogError(file, describeIssues(result.error.issues));
  return result.data;
}

/** Loads every *.yaml, *.yml and *.json in `dir` (not recursive); other files are ignored. */
export function loadCatalog(dir: string): Catalog {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => MANIFEST_EXTENSIONS.test(name) && !name.startsWith('.'))
      .sort();
  } catch (error) {
    throw new CatalogError(dir, [
      { path: '', message: `cannot read the catalog directory: ${(error as Error).message}` },
    ]);
  }
  const apps: AppManifest[] = [];
  const fileOf = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const app = parseAppManifest(readFileSync(file, 'utf8'), file);
    const earlier = fileOf.get(app.id);
    if (earlier)
      throw new CatalogError(file, [
        { path: 'id', message: `duplicate app id "${app.id}" (also in ${earlier})` },
      ]);
    fileOf.set(app.id, file);
    apps.push(app);
  }
  if (apps.length === 0)
    throw new CatalogError(dir, [{ path: '', message: 'holds no app manifests (*.yaml, *.yml, *.json)' }]);
  return new Catalog(apps);
}

/** zod issues as path + message, with unions reduced to the branch the author evidently meant. */
function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): CatalogIssue[] {
  return issues.flatMap((issue): CatalogIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        message: 'is not a known property',
      }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A branch whose top-level type matched the input is the one meant (a number vs `{ field: id }`).
      const meant = issue.errors.filter(
        (branch) => !branch.some((e) => e.code === 'invalid_type' && e.path.length === 0),
      );
      if (meant.length === 1) return describeIssues(meant[0], path);
      return [{ path: formatPath(path), message: unionMessage(issue.errors) }];
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

function unionMessage(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const expected = branches.flatMap((branch) =>
    branch.flatMap((e) =>
      e.code === 'invalid_type' && e.path.length === 0
        ? [e.expected === 'object' ? '{ field: <id> }' : e.expected]
        : [],
    ),
  );
  return `must be ${[...new Set(expected)].join(' or ')}`;
}

/** ['form', 1, 'max'] → form[1].max */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}
