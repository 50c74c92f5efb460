// Pages' logic run against the fake `wx`: each page module is loaded once with a `Page` that
// keeps its options, and driven through its handlers on a minimal page instance (`data` and a
// `setData` that merges, dotted paths such as `errors.tags` included). What is drawn is covered
// by the component tests and the project checks.

type Data = Record<string, unknown>;

export interface PageInstance {
  data: Data;
  setData(patch: Data): void;
  [handler: string]: unknown;
}

type Options = { data: Data } & Record<string, unknown>;

const registered = new Map<string, Options>();

/** Loads `src/<path>` (e.g. `subpackages/policy/feed/index`) and keeps the options it gave `Page()`. */
export function loadPage(path: string): void {
  let options: Options | null = null;
  Object.defineProperty(globalThis, 'Page', {
    value: (o: Options) => {
      options = o;
    },
    configurable: true,
    writable: true,
  });
  require(`../../src/${path}`);
  if (!options) throw new Error(`${path} did not call Page()`);
  registered.set(path, options);
}

/** Sets `value` at a dotted path (`draft.tags`, `inputs.tags`), as the platform's setData does. */
function setPath(target: Data, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Data = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Data;
  }
  node[keys[keys.length - 1]!] = value;
}

/** A fresh instance of a loaded page: its own copy of `data`; handlers bound to it by `call`. */
export function page(path: string): PageInstance {
  const options = registered.get(path);
  if (!options) throw new Error(`${path} not loaded`);
  const instance: PageInstance = {
    // Handlers, and instance fields (counters, timers: primitives or null).
    ...options,
    data: JSON.parse(JSON.stringify(options.data)) as Data,
    setData(patch: Data) {
      for (const [key, value] of Object.entries(patch)) {
        // The platform copies what it is given.
        setPath(this.data, key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
      }
    },
  };
  return instance;
}

export function call(p: PageInstance, handler: string, ...args: unknown[]): unknown {
  const fn = p[handler];
  if (typeof fn !== 'function') throw new Error(`no handler ${handler}`);
  return (fn as (...a: unknown[]) => unknown).apply(p, args);
}

/** Lets the fake's answers and timers run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits `ms` of real time (a debounce), then lets what it started settle. */
export async function wait(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await settle();
}

/** A tap (or component event) on an element with `data-*` `dataset`, carrying `detail`. */
export const tap = (dataset: Data, detail: unknown = {}) => ({ currentTarget: { dataset }, detail });
