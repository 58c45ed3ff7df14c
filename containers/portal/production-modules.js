// Prints the node_modules folders the built API needs at run time, one per line, relative to the
// checkout given as argv[2]: the root package.json's dependencies (minus those only the web app's
// bundle uses) and everything they depend on, resolved as Node would through package-lock.json.
// The portal image copies just these from the checkout's node_modules (a third of its size) instead
// of running npm inside the image.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? '.');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// Bundled into the web app by its build; the API never loads them.
const WEB_ONLY = /^(@angular\/|@novnc\/|material-symbols$)/;
// Optional peers of run-time packages that only matter when building.
const BUILD_ONLY = /^(typescript|ts-node)$/;

const packages = lock.packages ?? {};
const needed = new Set();

// Where `name`, required from the package at `from` ('' = the root), resolves: the nearest
// node_modules/name walking up from `from`, as Node's resolver does.
function resolve(from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at < 0 ? '' : dir.slice(0, at);
  }
}

function visit(from, name, optional) {
  const key = resolve(from, name);
  if (!key) {
    if (!optional) throw new Error(`${name} (needed by ${from || 'package.json'}) is not in package-lock.json`);
    return;
  }
  if (needed.has(key)) return;
  // Optional packages for other platforms are in the lock file but not on disk.
  if (!fs.existsSync(path.join(root, key))) {
    if (packages[key].optional || optional) return;
    throw new Error(`${key} is missing: run npm ci first`);
  }
  needed.add(key);
  const entry = packages[key];
  for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(key, dep, true);
  for (const dep of Object.keys(entry.peerDependencies ?? {})) {
    // An optional peer is loaded when present (express for @nestjs/serve-static), unless npm
    // installed it for development only, or it is a build tool (typescript, ts-node).
    const peer = resolve(key, dep);
    if (entry.peerDependenciesMeta?.[dep]?.optional && (!peer || packages[peer].dev || BUILD_ONLY.test(dep))) continue;
    visit(key, dep, true);
  }
}

for (const name of Object.keys(manifest.dependencies ?? {})) {
  if (!WEB_ONLY.test(name)) visit('', name, false);
}

// A nested folder comes along with its parent's copy.
const folders = [...needed].filter((key) => ![...needed].some((other) => key !== other && key.startsWith(`${other}/`)));
process.stdout.write(folders.sort().join('\n') + '\n');
