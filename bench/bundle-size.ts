// The web app's initial bundle: what index.html loads before the first route renders (itself, its
// stylesheets, its module script and the chunks it modulepreloads), raw and gzipped (zlib level 6,
// a reverse proxy's usual setting, and 9). Lazy route chunks are listed as a total, not counted.
//
//   npx nx build web --configuration=production
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/bundle-size.ts
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST, fmt, requireBuilds, runBenchmark } from './lib';

runBenchmark('bundle-size', main, { usesCluster: false });

async function main(): Promise<void> {
  requireBuilds(true);
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const referenced = new Set<string>();
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const isScript = tag.startsWith('<script');
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    const url = (isScript ? /\bsrc="([^"]+)"/ : /\bhref="([^"]+)"/).exec(tag)?.[1];
    if (!url || /^(https?:)?\/\//.test(url)) continue;
    if (isScript || rel === 'stylesheet' || rel === 'modulepreload') referenced.add(url.replace(/^\//, ''));
  }
  const files = ['index.html', ...referenced];
  let raw = 0;
  let gzip6 = 0;
  let gzip9 = 0;
  console.log('bundle-size: file | raw kB | gzip-6 kB | gzip-9 kB');
  for (const file of files) {
    const content = readFileSync(join(WEB_DIST, file));
    const g6 = gzipSync(content, { level: 6 }).length;
    const g9 = gzipSync(content, { level: 9 }).length;
    raw += content.length;
    gzip6 += g6;
    gzip9 += g9;
    console.log(
      `bundle-size: ${file} | ${fmt(content.length / 1000)} | ${fmt(g6 / 1000)} | ${fmt(g9 / 1000)}`,
    );
  }
  const lazy = readdirSync(WEB_DIST).filter((file) => /\.(js|css)$/.test(file) && !referenced.has(file));
  const lazyRaw = lazy.reduce((sum, file) => sum + statSync(join(WEB_DIST, file)).size, 0);
  console.log('');
  console.log(
    `bundle-size: initial bundle (${files.length} files): ${fmt(raw / 1000)} kB raw, ${fmt(gzip6 / 1000)} kB gzipped (level 6), ${fmt(gzip9 / 1000)} kB (level 9)`,
  );
  console.log(`bundle-size: lazy chunks not in it: ${lazy.length} files, ${fmt(lazyRaw / 1000)} kB raw`);
  console.log('bundle-size: kB = 1000 bytes');
}
