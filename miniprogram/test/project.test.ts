// Checks of the mini-program as DevTools will see it: templates compile with WeChat's own
// compilers, every page and component exists and resolves, handlers named in WXML exist, and
// only the request module talks to the network (wx.request, wx.uploadFile, wx.downloadFile).
import { describe, expect, it } from '@jest/globals';

import { tdesignProps } from './helpers/tdesign-stubs';

interface Bytes {
  length: number;
  subarray(start: number, end: number): { toString(encoding: string): string };
  readUInt32BE(offset: number): number;
}
interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
  readFileSync(path: string): Bytes;
  existsSync(path: string): boolean;
  readdirSync(path: string, options: { recursive: true }): string[];
}
// `require` is typed by the mini-program's globals (node types clash with them): cast once here.
const fs = require('fs') as Fs;
// The WXML/WXSS compilers (wcc, wcsc) that miniprogram-simulate ships.
const compiler = require('miniprogram-compiler') as { wxmlToJs(root: string): string; wxssToJs(root: string): string };

const ROOT = `${__dirname}/..`;
const SRC = `${ROOT}/src`;

const sourceFiles = fs
  .readdirSync(SRC, { recursive: true })
  .map((f) => f.replace(/\\/g, '/'))
  .filter((f) => !f.startsWith('miniprogram_npm/'));

interface AppJson {
  pages: string[];
  subPackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string }[] };
}
const appJson = JSON.parse(fs.readFileSync(`${SRC}/app.json`, 'utf8')) as AppJson;
const pages = [...appJson.pages, ...appJson.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
const components = sourceFiles
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((base) => (JSON.parse(fs.readFileSync(`${SRC}/${base}.json`, 'utf8')) as { component?: boolean }).component === true);

describe('templates', () => {
  it('every WXML file compiles with WeChat\'s compiler', () => {
    expect(() => compiler.wxmlToJs(SRC)).not.toThrow();
  });

  it('every WXSS file compiles with WeChat\'s compiler', () => {
    expect(() => compiler.wxssToJs(SRC)).not.toThrow();
  });
});

describe('app.json', () => {
  it('lists pages that exist, each with its TypeScript, WXML and JSON', () => {
    expect(pages).toEqual([
      'pages/home/index',
      'pages/messages/index',
      'pages/me/index',
      'subpackages/auth/persona/index',
      'subpackages/me/bind-enterprise/index',
      'subpackages/me/enterprise-profile/index',
      'subpackages/me/bind-wecom/index',
      'subpackages/me/export/index',
      'subpackages/demand/submit/index',
      'subpackages/demand/list/index',
      'subpackages/demand/detail/index',
      'subpackages/event/list/index',
      'subpackages/event/detail/index',
      'subpackages/event/complaint/index',
      'subpackages/event/scorecard/index',
      'subpackages/event/results/index',
      'subpackages/event/assignments/index',
      'subpackages/event/report/index',
      'subpackages/event/activities/index',
      'subpackages/event/activity-new/index',
      'subpackages/event/activity-demand/index',
      'subpackages/policy/feed/index',
      'subpackages/policy/search/index',
      'subpackages/policy/detail/index',
      'subpackages/media/observations/index',
      'subpackages/media/observation-new/index',
      'subpackages/media/publicity/index',
      'subpackages/butler/callbacks/index',
      'subpackages/butler/callback/index',
      'subpackages/butler/enterprises/index',
      'subpackages/butler/visits-due/index',
      'subpackages/butler/visit-new/index',
      'subpackages/admin/dashboard/index',
      'subpackages/admin/reports/index',
      'subpackages/admin/observations/index',
      'subpackages/console-login/index',
      'subpackages/handler/plans/index',
      'subpackages/handler/plan-item/index',
      'subpackages/handler/reports/index',
      'subpackages/clue/report/index',
      'subpackages/clue/mine/index',
      'subpackages/clue/cases/index',
      'subpackages/clue/case/index',
      'subpackages/inspection/list/index',
      'subpackages/inspection/detail/index',
      'subpackages/inspection/leniency/index',
    ]);
    for (const page of [...pages, ...components]) {
      for (const ext of ['ts', 'wxml', 'json']) {
        expect(`${page}.${ext}: ${fs.existsSync(`${SRC}/${page}.${ext}`)}`).toBe(`${page}.${ext}: true`);
      }
    }
  });

  it('finds every component (the checks below cover them all)', () => {
    expect([...components].sort()).toEqual([
      'components/form-renderer/index',
      'components/offline-banner/index',
      'components/privacy-prompt/index',
      'components/role-tiles/index',
      'subpackages/demand/components/demand-form/index',
      'subpackages/demand/components/timeline/index',
      'subpackages/event/components/complaint-card/index',
      'subpackages/policy/components/highlight/index',
    ]);
  });

  it('keeps the tab pages in the main package and nothing else there', () => {
    expect(appJson.tabBar.list.map((t) => t.pagePath)).toEqual(appJson.pages);
  });

  it('preloads subpackages from pages that exist, by their names, within WeChat\'s 2 MB per page', () => {
    const rules = (appJson as unknown as { preloadRule: Record<string, { network: string; packages: string[] }> }).preloadRule;
    const names = appJson.subPackages.map((p) => (p as { name?: string }).name);
    for (const [pagePath, rule] of Object.entries(rules)) {
      expect(pages).toContain(pagePath);
      expect(['all', 'wifi']).toContain(rule.network);
      for (const pkg of rule.packages) expect(names).toContain(pkg);
    }
    // Every role's first subpackage is preloaded from where that role starts: demands from the
    // home page (enterprises, butlers, handlers, admins), policies (enterprises), the 消息 tab's
    // notices (demands), 我的 (me).
    expect(rules['pages/home/index']!.packages).toEqual(['demand', 'policy']);
  });

  it('gives every tab an icon and a selected icon: PNG, at most 40 KB, 81×81 (what WeChat asks)', () => {
    const tabs = appJson.tabBar.list as { iconPath?: string; selectedIconPath?: string }[];
    for (const tab of tabs) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        expect(icon).toMatch(/^assets\/tabbar\/[\w-]+\.png$/);
        const bytes = fs.readFileSync(`${SRC}/${icon}`);
        expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(bytes.length).toBeLessThanOrEqual(40 * 1024);
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([81, 81]);
      }
    }
  });
});

describe('usingComponents', () => {
  // The built-in components of the mini-program framework (what needs no usingComponents).
  const builtIn = new Set(
    ('view text image button input textarea picker picker-view picker-view-column scroll-view swiper swiper-item ' +
      'navigator block template import include slot form label checkbox checkbox-group radio radio-group switch slider ' +
      'icon progress rich-text web-view map canvas video audio camera cover-view cover-image movable-area movable-view ' +
      'page-container page-meta navigation-bar editor match-media root-portal wxs').split(' '),
  );

  it('declare every component tag a WXML uses (an undeclared one draws nothing)', () => {
    for (const owner of [...pages, ...components]) {
      const json = JSON.parse(fs.readFileSync(`${SRC}/${owner}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
      const declared = new Set(Object.keys(json.usingComponents ?? {}));
      const wxml = fs.readFileSync(`${SRC}/${owner}.wxml`, 'utf8');
      for (const tag of new Set([...wxml.matchAll(/<([a-z][\w-]*)/g)].map((m) => m[1]!))) {
        const ok = builtIn.has(tag) || declared.has(tag);
        expect(`${owner} <${tag}>: ${ok}`).toBe(`${owner} <${tag}>: true`);
      }
    }
  });

  it('resolve to our components or to TDesign', () => {
    for (const owner of [...pages, ...components]) {
      const json = JSON.parse(fs.readFileSync(`${SRC}/${owner}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
      for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
        const file = target.startsWith('tdesign-miniprogram/')
          ? `${ROOT}/node_modules/tdesign-miniprogram/miniprogram_dist/${target.slice('tdesign-miniprogram/'.length)}.json`
          : `${SRC}/${target.replace(/^\//, '')}.json`;
        expect(`${owner} <${tag}> → ${target}: ${fs.existsSync(file)}`).toBe(`${owner} <${tag}> → ${target}: true`);
      }
    }
  });
});

describe('TDesign attributes', () => {
  // Attributes every component takes, whatever its properties.
  const common = /^(?:id|class|style|slot|hidden|wx:.*|bind.*|catch.*|capture-.*|mut-bind.*|mark:.*|data-.*|generic:.*|t-class.*)$/;
  const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

  it('are properties the TDesign component declares', () => {
    for (const owner of [...pages, ...components]) {
      const json = JSON.parse(fs.readFileSync(`${SRC}/${owner}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
      const tdesign = Object.entries(json.usingComponents ?? {}).filter(([, target]) => target.startsWith('tdesign-miniprogram/'));
      const known = new Map(tdesign.map(([tag, target]) => [tag, new Set(tdesignProps(target))]));
      const wxml = fs.readFileSync(`${SRC}/${owner}.wxml`, 'utf8');
      // Opening tags, attribute values quoted (they may hold `>` in an expression).
      for (const tag of wxml.matchAll(/<([a-z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)) {
        const props = known.get(tag[1]!);
        if (!props) continue;
        for (const attr of tag[2]!.matchAll(/([^\s=]+)(?:="[^"]*")?/g)) {
          const name = attr[1]!;
          const ok = common.test(name) || props.has(camel(name));
          expect(`${owner} <${tag[1]}> ${name}: ${ok}`).toBe(`${owner} <${tag[1]}> ${name}: true`);
        }
      }
    }
  });
});

describe('event handlers', () => {
  // Modules whose page parts (fields and handlers) pages spread into `Page({...})`: a page that
  // imports one gets its handlers too.
  const PAGE_PARTS = ['utils/cursor-list'];

  it('named in WXML exist in the page or component', () => {
    for (const owner of [...pages, ...components]) {
      const wxml = fs.readFileSync(`${SRC}/${owner}.wxml`, 'utf8');
      const own = fs.readFileSync(`${SRC}/${owner}.ts`, 'utf8');
      const parts = PAGE_PARTS.filter((m) => new RegExp(`from '(?:\\.\\.?/)+${m}'`).test(own));
      const ts = [own, ...parts.map((m) => fs.readFileSync(`${SRC}/${m}.ts`, 'utf8'))].join('\n');
      const handlers = Array.from(wxml.matchAll(/\b(?:bind|catch):?[a-z][a-z-]*="([A-Za-z_]\w*)"/g), (m) => m[1]!);
      for (const handler of handlers) {
        expect(`${owner}: ${handler} defined ${new RegExp(`\\b${handler}\\s*\\(`).test(ts)}`).toBe(
          `${owner}: ${handler} defined true`,
        );
      }
    }
  });
});

describe('the network', () => {
  const callersOf = (api: string) =>
    sourceFiles
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => new RegExp(`\\bwx\\s*\\.\\s*${api}\\s*\\(`).test(fs.readFileSync(`${SRC}/${f}`, 'utf8')));

  it.each(['request', 'uploadFile', 'downloadFile'])('wx.%s is called by utils/request.ts alone', (api) => {
    expect(callersOf(api)).toEqual(['utils/request.ts']);
  });

  it('is reached by the services alone, which pages and components use', () => {
    const importers = sourceFiles
      .filter((f) => f.endsWith('.ts') && f !== 'utils/request.ts')
      .filter((f) => /from '(?:\.\.?\/)+(?:utils\/)?request'/.test(fs.readFileSync(`${SRC}/${f}`, 'utf8')));
    // signin.ts only installs the session renewer there.
    expect(importers.filter((f) => !f.startsWith('services/'))).toEqual(['utils/signin.ts']);
  });
});
