// The main package's size as WeChat counts it at upload with 「过滤无依赖文件」
// (`ignoreUploadUnusedFiles`), checked against the budget (part of `npm run check`).
//
// What is counted (README.md, 「Main-package size」, says why):
// - every file that lies OUTSIDE the subpackage roots and is reached from something the app loads:
//   app.json / app.ts / app.wxss / sitemap.json, tab-bar icons, every page (main package AND
//   subpackages: a main-package component that only a subpackage uses still ships in the main
//   package), following usingComponents (also inside TDesign), WXML import/include/wxs and static
//   image paths, WXSS @import, and the require/import graph of the JavaScript;
// - TypeScript as the JavaScript it compiles to: `tsc` emits the sources into a temporary folder
//   (same options as the app's tsconfig) and the emitted files are measured and parsed, so type-only
//   imports cost nothing and a kept import costs its module;
// - TDesign as 「构建 npm」 lays it out under src/miniprogram_npm/ (the main package): the
//   package's miniprogram_dist/ and its own miniprogram_npm/ (tslib, dayjs, ...), read from
//   node_modules/, so the figure holds without DevTools having run.
// Files are counted at their size on disk (DevTools' minifier would only make them smaller).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// SIZE_BUDGET_KB can only lower the budget (the test of this script uses it), never raise it.
const BUDGET_KB = Math.min(600, Number(process.env.SIZE_BUDGET_KB ?? 600) || 600);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const npmRoots = {
  'tdesign-miniprogram': path.join(root, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist'),
};
const tdesignNested = path.join(npmRoots['tdesign-miniprogram'], 'miniprogram_npm');

const app = JSON.parse(readFileSync(path.join(src, 'app.json'), 'utf8'));
const subRoots = (app.subPackages ?? app.subpackages ?? []).map((p) => path.join(src, p.root) + path.sep);

// ---- TypeScript → the JavaScript DevTools would ship ----
const out = mkdtempSync(path.join(tmpdir(), 'size-check-'));
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out, '--rootDir', src], {
  stdio: 'inherit',
});
process.on('exit', () => rmSync(out, { recursive: true, force: true }));

/** The file whose bytes ship for `file`: the emitted .js of a .ts source. */
function shipped(file) {
  if (file.startsWith(src) && file.endsWith('.ts') && !file.endsWith('.d.ts')) {
    return path.join(out, path.relative(src, file)).replace(/\.ts$/, '.js');
  }
  return file;
}

const isFile = (f) => existsSync(f) && statSync(f).isFile();

/** A module path as the mini-program's require resolves it, from the file `from`. */
function resolveModule(spec, from) {
  const dir = path.dirname(from);
  let bases;
  if (spec.startsWith('.')) bases = [path.resolve(dir, spec)];
  else if (spec.startsWith('/')) bases = [path.join(src, spec)];
  else {
    // Bare names: TDesign's own nested npm folder first, then the app's miniprogram_npm.
    const [name, ...rest] = spec.split('/');
    bases = [];
    if (from.startsWith(npmRoots['tdesign-miniprogram'])) bases.push(path.join(tdesignNested, spec));
    if (npmRoots[name]) bases.push(path.join(npmRoots[name], ...rest));
  }
  for (const base of bases) {
    for (const candidate of [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts'), path.join(base, 'index.js')]) {
      if (isFile(candidate) && !candidate.endsWith('.d.ts')) return candidate;
    }
  }
  throw new Error(`size-check: cannot resolve '${spec}' from ${path.relative(root, from)}`);
}

/** A component path of usingComponents, as a path without extension. */
function resolveComponent(spec, from) {
  const dir = path.dirname(from);
  if (spec.startsWith('plugin://')) return null;
  if (spec.startsWith('.')) return path.resolve(dir, spec);
  if (spec.startsWith('/')) return path.join(src, spec);
  const [name, ...rest] = spec.split('/');
  if (npmRoots[name]) return path.join(npmRoots[name], ...rest);
  if (from.startsWith(npmRoots['tdesign-miniprogram'])) return path.join(tdesignNested, spec);
  return path.join(src, spec); // A path from the root without the leading slash.
}

const reached = new Set();
const queue = [];
function add(file) {
  if (!file || reached.has(file)) return;
  if (!isFile(file)) throw new Error(`size-check: missing ${path.relative(root, file)}`);
  reached.add(file);
  queue.push(file);
}

/** A page or component: its four files, where they exist. */
function addUnit(base) {
  if (base === null) return;
  let found = false;
  for (const ext of ['.json', '.wxml', '.wxss', '.ts', '.js']) {
    if (isFile(base + ext)) {
      add(base + ext);
      found = true;
    }
  }
  if (!found) throw new Error(`size-check: no page or component at ${path.relative(root, base)}`);
}

function visit(file) {
  const text = readFileSync(shipped(file), 'utf8');
  if (file.endsWith('.json')) {
    const json = JSON.parse(text);
    for (const spec of Object.values(json.usingComponents ?? {})) addUnit(resolveComponent(spec, file));
    for (const spec of Object.values(json.componentGenerics ?? {})) {
      if (spec && typeof spec === 'object' && spec.default) addUnit(resolveComponent(spec.default, file));
    }
  } else if (file.endsWith('.wxml')) {
    for (const m of text.matchAll(/<(import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"'{}]+)["']/g)) add(path.resolve(path.dirname(file), m[2].startsWith('/') ? path.join(src, m[2]) : m[2]));
    for (const m of text.matchAll(/<(image|cover-image)\b[^>]*\bsrc\s*=\s*["']([^"'{}:]+\.(png|jpg|jpeg|gif|svg|webp))["']/g)) {
      add(m[2].startsWith('/') ? path.join(src, m[2]) : path.resolve(path.dirname(file), m[2]));
    }
  } else if (file.endsWith('.wxss')) {
    for (const m of text.matchAll(/@import\s+["']([^"']+)["']/g)) add(m[1].startsWith('/') ? path.join(src, m[1]) : path.resolve(path.dirname(file), m[1]));
  } else if (file.endsWith('.wxs')) {
    for (const m of text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) add(path.resolve(path.dirname(file), m[1]));
  } else if (file.endsWith('.js') || file.endsWith('.ts')) {
    const specs = [
      ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
      ...text.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g),
      ...text.matchAll(/\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["']([^"']+)["']/g),
    ].map((m) => m[1]);
    for (const spec of specs) add(resolveModule(spec, file));
  }
}

// ---- The roots: what the app loads ----
for (const f of ['app.json', 'app.ts', 'app.wxss', app.sitemapLocation ?? 'sitemap.json']) if (isFile(path.join(src, f))) add(path.join(src, f));
for (const spec of Object.values(app.usingComponents ?? {})) addUnit(resolveComponent(spec, path.join(src, 'app.json')));
for (const item of app.tabBar?.list ?? []) {
  for (const icon of [item.iconPath, item.selectedIconPath]) if (icon) add(path.join(src, icon));
}
for (const page of app.pages) addUnit(path.join(src, page));
while (queue.length > 0) visit(queue.shift());
// What the main package's own pages need: shown for comparison, not the figure checked.
const fromMainPages = new Set(reached);
for (const sub of app.subPackages ?? []) for (const page of sub.pages) addUnit(path.join(src, sub.root, page));
while (queue.length > 0) visit(queue.shift());

// ---- What of it lies in the main package ----
const inMain = [...reached].filter((f) => !subRoots.some((r) => f.startsWith(r)));
const size = (f) => statSync(shipped(f)).size;
const total = inMain.reduce((n, f) => n + size(f), 0);
const groups = new Map();
for (const f of inMain) {
  const rel = f.startsWith(src) ? path.relative(src, f) : `miniprogram_npm/${path.relative(path.join(root, 'node_modules'), f).replace('/miniprogram_dist', '')}`;
  const key = rel.startsWith('miniprogram_npm/') ? rel.split('/').slice(0, 3).join('/') : rel.split('/').slice(0, 2).join('/');
  groups.set(key, (groups.get(key) ?? 0) + size(f));
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ total, files: inMain.map((f) => path.relative(root, f)).sort() }));
  process.exit(total > BUDGET_KB * 1024 ? 1 : 0);
}
if (process.argv.includes('--verbose')) {
  for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${kb(v).padStart(10)}  ${k}`);
}
const ownTotal = [...fromMainPages].reduce((n, f) => n + size(f), 0);
console.log(`size-check: main package ${kb(total)} in ${inMain.length} files (budget ${BUDGET_KB} KB; 「过滤无依赖文件」, TypeScript as emitted JavaScript)`);
console.log(`size-check: of which ${kb(ownTotal)} is what the app and its tab pages load themselves; the rest lies in the main package for subpackages`);
if (total > BUDGET_KB * 1024) {
  console.error(`size-check: the main package is over its ${BUDGET_KB} KB budget by ${kb(total - BUDGET_KB * 1024)}`);
  process.exit(1);
}
