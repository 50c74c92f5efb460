// Stand-ins for TDesign components in miniprogram-simulate, which cannot load TDesign's own
// build. Each stub declares the real component's properties (read from TDesign's `props.js`), so
// a test can read what our WXML passed to it and dispatch the events TDesign would emit.
import simulate from 'miniprogram-simulate';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
// `require` is typed by the mini-program's globals (node types clash with them): cast once here.
const fs = require('fs') as Fs;

const DIST = `${__dirname}/../../node_modules/tdesign-miniprogram/miniprogram_dist`;

/** The property names TDesign declares for a component, e.g. `input/input` → `value`, `tips`, .... */
export function tdesignProps(target: string): string[] {
  const dir = target.replace(/^tdesign-miniprogram\//, '').replace(/\/[^/]+$/, '');
  const source = fs.readFileSync(`${DIST}/${dir}/props.js`, 'utf8');
  return Array.from(source.matchAll(/[{,]([A-Za-z]\w*):\{type:/g), (m) => m[1]!);
}

/**
 * Registers a stub for each `usingComponents` entry of `json` that points at TDesign, and
 * returns the mapping to pass as simulate's `usingComponents` option.
 */
export function tdesignStubs(usingComponents: Record<string, string>): Record<string, string> {
  const stubs: Record<string, string> = {};
  for (const [tag, target] of Object.entries(usingComponents)) {
    if (!target.startsWith('tdesign-miniprogram/')) continue;
    // `type: null` takes any value, as the binding gives it.
    const properties: WechatMiniprogram.Component.PropertyOption = Object.fromEntries(
      tdesignProps(target).map((name) => [name, { type: null, value: null }]),
    );
    const id = simulate.load({
      // Children and named slots (e.g. a t-cell's `note`) are rendered in place.
      template: '<slot /><slot name="note" />',
      options: { multipleSlots: true },
      properties,
    });
    stubs[tag] = String(id);
  }
  return stubs;
}
