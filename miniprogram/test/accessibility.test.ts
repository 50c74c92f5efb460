// What a reviewer (and a person with weak eyes) checks: text of at least 24rpx, text colours of
// at least 4.5:1 contrast on what they are drawn on (WCAG AA), icon-only controls named for a
// screen reader, and one name per role.
import { describe, expect, it } from '@jest/globals';
import { ROLE_LABELS } from '../src/utils/roles';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
  readdirSync(path: string, options: { recursive: true }): string[];
}
const fs = require('fs') as Fs;
const SRC = `${__dirname}/../src`;
const files = (ext: string) => fs.readdirSync(SRC, { recursive: true }).filter((f) => f.endsWith(ext) && !f.includes('miniprogram_npm'));

type Rgba = [number, number, number, number];

function parseColor(value: string): Rgba | null {
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)).concat(1) as Rgba;
  m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)).concat(1) as Rgba;
  m = /^rgba?\(([^)]+)\)$/.exec(v);
  if (m) {
    const [r = 0, g = 0, b = 0, a = 1] = m[1]!.split(',').map((x) => Number(x.trim()));
    return [r, g, b, a];
  }
  return null;
}

const over = ([r, g, b, a]: Rgba, [R, G, B]: Rgba): Rgba => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(fg: Rgba, bg: Rgba): number {
  const a = luminance(over(fg, bg)) + 0.05;
  const b = luminance(bg) + 0.05;
  return Math.max(a, b) / Math.min(a, b);
}

const WHITE = parseColor('#ffffff')!;
const PAGE = parseColor('#f3f3f3')!;

describe('text size', () => {
  it('is never under 24rpx in our styles', () => {
    for (const f of files('.wxss')) {
      for (const m of fs.readFileSync(`${SRC}/${f}`, 'utf8').matchAll(/font-size:\s*(\d+(?:\.\d+)?)(rpx|px)/g)) {
        const rpx = m[2] === 'px' ? Number(m[1]) * 2 : Number(m[1]);
        expect(`${f}: ${m[0]} ${rpx >= 24}`).toBe(`${f}: ${m[0]} true`);
      }
    }
  });
});

describe('text colour', () => {
  it('has at least 4.5:1 contrast on its own background, else on white and on the page grey', () => {
    let checked = 0;
    for (const f of files('.wxss')) {
      const css = fs.readFileSync(`${SRC}/${f}`, 'utf8');
      for (const rule of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
        const body = rule[2]!;
        const color = /(?:^|[;\s])color:\s*([^;]+);/.exec(body)?.[1];
        if (!color) continue;
        const fg = parseColor(color);
        if (!fg) continue;
        const bgValue = /background(?:-color)?:\s*([^;]+);/.exec(body)?.[1];
        const bg = bgValue ? parseColor(bgValue) : null;
        // Text on a see-through shade over a photo: the photo decides; not checked here.
        if (bg && bg[3] < 1) continue;
        const grounds = bg ? [bg] : [WHITE, PAGE];
        for (const ground of grounds) {
          const ratio = contrast(fg, ground);
          checked += 1;
          expect(`${f} ${rule[1]!.trim()} ${color} ${ratio >= 4.5}`).toBe(`${f} ${rule[1]!.trim()} ${color} true`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the tab bar text too', () => {
    const app = JSON.parse(fs.readFileSync(`${SRC}/app.json`, 'utf8')) as { tabBar: { color: string; selectedColor: string; backgroundColor: string } };
    const bg = parseColor(app.tabBar.backgroundColor)!;
    expect(contrast(parseColor(app.tabBar.color)!, bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(parseColor(app.tabBar.selectedColor)!, bg)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('controls without words', () => {
  it('are named for a screen reader: an icon-only control has aria-label', () => {
    for (const f of files('.wxml')) {
      const wxml = fs.readFileSync(`${SRC}/${f}`, 'utf8');
      // A tappable element whose whole text is a symbol (×, +, ›, an icon component).
      for (const m of wxml.matchAll(/<(view|text|t-icon)\b([^>]*\bbind(?::tap|tap)="[^"]+"[^>]*)>\s*([×+›‹✕✓○]?)\s*<\/\1>/g)) {
        expect(`${f}: ${m[0].slice(0, 80)} ${/aria-label=/.test(m[2]!)}`).toBe(`${f}: ${m[0].slice(0, 80)} true`);
      }
      for (const m of wxml.matchAll(/<t-icon\b([^>]*\bbind(?::tap|tap)="[^"]+"[^>]*)\/?>/g)) {
        expect(`${f}: ${m[0].slice(0, 80)} ${/aria-label=/.test(m[1]!)}`).toBe(`${f}: ${m[0].slice(0, 80)} true`);
      }
    }
  });
});

describe('names', () => {
  it('calls the unit handler one thing everywhere: 单位经办人', () => {
    expect(ROLE_LABELS.handler).toBe('单位经办人');
    // The other name it had, spelt apart so that this file does not hold it.
    const other = ['单位', '办理人'].join('');
    for (const f of [...files('.ts'), ...files('.wxml')]) {
      expect(`${f}: ${fs.readFileSync(`${SRC}/${f}`, 'utf8').includes(other)}`).toBe(`${f}: false`);
    }
  });
});
