// The initial download budget: the entry's JS and CSS and everything it imports statically
// (what the browser fetches before the first screen), gzipped, must stay under 400 KB.
// Also checks that the built index.html carries no inline script (the server's CSP has
// `script-src 'self'`). Run by `npm run build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT = 400 * 1024;
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

/** A chunk's file, its CSS, and the same of every chunk it imports statically. */
function closure(keys) {
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const k of chunk.imports ?? []) visit(k);
  };
  keys.forEach(visit);
  return files;
}

const gzCache = new Map();
const gz = (file) => {
  if (!gzCache.has(file)) gzCache.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gzCache.get(file);
};
const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);
const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KB`;

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) throw new Error('no entry chunk in the manifest');
const initial = closure([entryKey]);
for (const file of initial) console.log(`${kb(gz(file))}  ${file}`);
const total = sum(initial);
console.log(`${kb(total)}  initial download (the entry and its static imports), gzipped (limit ${LIMIT / 1024} KB)`);

// Beyond the budget's letter: each screen's first load (entry + layout + page, as a
// bookmarked URL fetches it) is held to the same limit, so no screen hides its weight in a
// lazy chunk.
const layoutKey = Object.keys(manifest).find((k) => k.endsWith('src/layouts/BasicLayout.vue'));
let worst = 0;
for (const key of Object.keys(manifest).filter((k) => k.includes('src/pages/'))) {
  const inLayout = !/src\/pages\/(login|result\/not-found)/.test(key);
  const n = sum(closure([entryKey, ...(inLayout && layoutKey ? [layoutKey] : []), key]));
  worst = Math.max(worst, n);
  console.log(`${kb(n)}  first load of ${key.replace(/^.*src\/pages\//, '')}`);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
  ([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim() !== '',
);
let failed = false;
if (inline.length > 0) {
  console.error(`dist/index.html has ${inline.length} inline script(s): the CSP forbids them.`);
  failed = true;
}
if (/\son[a-z]+=/i.test(html)) {
  console.error('dist/index.html has an inline event handler: the CSP forbids it.');
  failed = true;
}
if (total > LIMIT) {
  console.error(`The initial download is ${(total / 1024).toFixed(1)} KB, above ${LIMIT / 1024} KB.`);
  failed = true;
}
if (worst > LIMIT) {
  console.error(`A screen's first load is ${(worst / 1024).toFixed(1)} KB, above ${LIMIT / 1024} KB.`);
  failed = true;
}
process.exit(failed ? 1 : 0);
