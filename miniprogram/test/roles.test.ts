import { describe, expect, it } from '@jest/globals';

import type { RoleGrant } from '../src/types/api';
import { activeRoles, chinaToday, grantLabel, tilesFor } from '../src/utils/roles';
import { personView } from '../src/utils/person';
import { userFixture } from './helpers/fake-wx';

function grant(role: RoleGrant['role'], extra: Partial<RoleGrant> = {}): RoleGrant {
  return { id: `${role}-1`, role, enterpriseId: null, enterpriseName: null, unitId: null, unitName: null, termEnds: null, ...extra };
}

describe('tilesFor', () => {
  it('gives each role its tiles, in role order', () => {
    expect(tilesFor(['admin', 'enterprise']).map((t) => t.label)).toEqual([
      '提交诉求',
      '我的诉求',
      '活动',
      '政策推荐',
      '待办诉求',
      '数据看板',
      '企业之声',
      '媒体观察',
    ]);
    expect(tilesFor(['officer']).map((t) => t.label)).toEqual(['暗访任务', '出卷']);
    expect(tilesFor(['media']).map((t) => t.label)).toEqual(['媒体观察', '宣传登记']);
    expect(tilesFor(['supervisor']).map((t) => t.label)).toEqual(['督导活动']);
    expect(tilesFor(['butler']).map((t) => t.label)).toEqual(['工作台', '新企业回访', '三上门走访', '媒体观察', '我的企业']);
    expect(tilesFor(['handler']).map((t) => t.label)).toEqual(['待办诉求', '督办任务', '暗访报告']);
  });

  it('ignores duplicates and unknown roles', () => {
    expect(tilesFor(['handler', 'handler', 'astronaut']).map((t) => t.key)).toEqual(['handler.todo', 'handler.plans', 'handler.reports']);
    expect(tilesFor([])).toEqual([]);
  });

  it('has unique keys across all roles', () => {
    const keys = tilesFor(['enterprise', 'officer', 'media', 'supervisor', 'butler', 'handler', 'admin']).map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    // The handler's and the admin's queue tiles open the butler's workbench page, the admin's
    // 媒体观察 the butler's, and the officer's 出卷 opens the enterprise's 活动 list: each shown once.
    expect(keys).toHaveLength(17);
    expect(keys).not.toContain('scorecard.answer');
    expect(keys).not.toContain('admin.observations');
  });

  it('opens the demand pages from the demand tiles', () => {
    const urls = Object.fromEntries(tilesFor(['enterprise', 'butler', 'handler', 'admin']).map((t) => [t.key, t.url]));
    expect(urls['demand.submit']).toBe('/subpackages/demand/submit/index');
    expect(urls['demand.mine']).toBe('/subpackages/demand/list/index?mode=mine');
    expect(urls['butler.workbench']).toBe('/subpackages/demand/list/index?mode=todo');
    expect(tilesFor(['handler']).map((t) => t.url)).toEqual([
      '/subpackages/demand/list/index?mode=todo',
      '/subpackages/handler/plans/index',
      '/subpackages/handler/reports/index',
    ]);
    expect(tilesFor(['admin']).map((t) => [t.label, t.url])).toEqual([
      ['待办诉求', '/subpackages/demand/list/index?mode=todo'],
      ['数据看板', '/subpackages/admin/dashboard/index'],
      ['企业之声', '/subpackages/admin/reports/index'],
      ['媒体观察', '/subpackages/admin/observations/index'],
    ]);
    // The enterprise's 政策推荐 opens the policy feed.
    expect(tilesFor(['enterprise']).find((t) => t.key === 'policy.recommended')?.url).toBe('/subpackages/policy/feed/index');
    // Every tile leads somewhere real (reviewers reject placeholders such as 建设中).
    const all = tilesFor(['enterprise', 'officer', 'media', 'supervisor', 'butler', 'handler', 'admin']);
    expect(all.filter((t) => !t.url.startsWith('/subpackages/'))).toEqual([]);
  });

  it('opens the event pages from the engagement-program tiles', () => {
    expect(tilesFor(['enterprise']).find((t) => t.key === 'event.list')?.url).toBe('/subpackages/event/list/index');
    expect(tilesFor(['officer']).map((t) => [t.label, t.url])).toEqual([
      ['暗访任务', '/subpackages/event/assignments/index'],
      ['出卷', '/subpackages/event/list/index'],
    ]);
    expect(tilesFor(['supervisor']).map((t) => [t.label, t.url])).toEqual([['督导活动', '/subpackages/event/activities/index']]);
  });

  it('opens the media, call-back and admin pages from their tiles', () => {
    expect(tilesFor(['media']).map((t) => [t.label, t.url])).toEqual([
      ['媒体观察', '/subpackages/media/observations/index'],
      ['宣传登记', '/subpackages/media/publicity/index'],
    ]);
    expect(tilesFor(['butler']).find((t) => t.key === 'butler.callbacks')?.url).toBe('/subpackages/butler/callbacks/index');
    expect(tilesFor(['butler']).find((t) => t.key === 'butler.enterprises')?.url).toBe('/subpackages/butler/enterprises/index');
    // 三上门走访 opens the due list, from which each enterprise's record form opens.
    expect(tilesFor(['butler']).find((t) => t.key === 'butler.visits')?.url).toBe('/subpackages/butler/visits-due/index');
    // An admin who is also a butler gets both the call-backs and the dashboard.
    expect(tilesFor(['butler', 'admin']).map((t) => t.label)).toEqual([
      '工作台',
      '新企业回访',
      '三上门走访',
      '媒体观察',
      '我的企业',
      '数据看板',
      '企业之声',
    ]);
  });

  it('opens the staff list of every observation from the staff tiles 媒体观察', () => {
    const staffList = '/subpackages/admin/observations/index';
    expect(tilesFor(['admin']).find((t) => t.key === 'admin.observations')?.url).toBe(staffList);
    expect(tilesFor(['butler']).find((t) => t.key === 'butler.observations')?.url).toBe(staffList);
    // An admin who is also a butler gets it once.
    expect(tilesFor(['butler', 'admin']).filter((t) => t.url === staffList).map((t) => t.key)).toEqual(['butler.observations']);
    // Media observers keep their own list (with 新建) and do not get the staff one.
    expect(tilesFor(['media']).map((t) => t.url)).not.toContain(staffList);
    // An observer who is also an admin gets both pages: their own list and the staff one.
    expect(tilesFor(['media', 'admin']).filter((t) => t.label === '媒体观察').map((t) => [t.key, t.url])).toEqual([
      ['media.observations', '/subpackages/media/observations/index'],
      ['admin.observations', staffList],
    ]);
  });

  it('shows the events list once to a person who is both enterprise and officer', () => {
    expect(tilesFor(['enterprise', 'officer']).map((t) => t.label)).toEqual(['提交诉求', '我的诉求', '活动', '政策推荐', '暗访任务']);
  });

  it('opens a page that app.json lists from every built tile', () => {
    interface Fs {
      readFileSync(path: string, encoding: 'utf8'): string;
    }
    const fs = require('fs') as Fs;
    const app = JSON.parse(fs.readFileSync(`${__dirname}/../src/app.json`, 'utf8')) as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
    const pages = new Set([...app.pages, ...app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))].map((p) => `/${p}`));
    const urls = tilesFor(['enterprise', 'officer', 'media', 'supervisor', 'butler', 'handler', 'admin', 'discipline'])
      .map((t) => t.url)
      .filter((u): u is string => u !== undefined);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(`${url}: ${pages.has(url.split('?')[0]!)}`).toBe(`${url}: true`);
  });

  it('gives discipline staff (纪检监察) the typical cases; they read clues on the console', () => {
    expect(tilesFor(['discipline']).map((t) => [t.key, t.label, t.url])).toEqual([
      ['discipline.cases', '典型案例通报', '/subpackages/clue/cases/index'],
    ]);
    // Last in role order, after an admin's tiles.
    expect(tilesFor(['discipline', 'admin']).map((t) => t.label).slice(-2)).toEqual(['媒体观察', '典型案例通报']);
    expect(grantLabel(grant('discipline'))).toBe('纪检监察');
  });

  it('shows one queue tile to a person who is both butler and handler', () => {
    expect(tilesFor(['butler', 'handler']).map((t) => t.label)).toEqual(['工作台', '新企业回访', '三上门走访', '媒体观察', '我的企业', '督办任务', '暗访报告']);
  });
});

describe('activeRoles', () => {
  it('drops grants whose term ended before today and keeps the last day', () => {
    const grants = [
      grant('officer', { termEnds: '2026-11-27' }),
      grant('media', { termEnds: '2026-11-28' }),
      grant('enterprise'),
    ];
    expect(activeRoles(grants, '2026-11-28')).toEqual(['enterprise', 'media']);
  });

  it('reads today in China time', () => {
    // 17:00 UTC is already the next day in Beijing.
    expect(chinaToday(new Date('2026-11-28T17:00:00Z'))).toBe('2026-11-29');
    expect(chinaToday(new Date('2026-11-28T15:59:00Z'))).toBe('2026-11-28');
  });
});

describe('personView', () => {
  it('shows the phone as the server sent it and labels each grant', () => {
    const view = personView(
      userFixture({
        nickname: null,
        phone: '138****5678',
        roles: [grant('handler', { unitName: '青岛海关' }), grant('enterprise', { enterpriseName: '青岛某某有限公司' })],
        enterprise: { id: '7', name: '青岛某某有限公司', uscc: '91350100M000100Y43' },
      }),
      '2026-11-28',
    );
    expect(view.name).toBe('微信用户');
    expect(view.phone).toBe('138****5678');
    expect(view.hasPhone).toBe(true);
    expect(view.grants).toEqual(['单位经办人 · 青岛海关', '企业用户 · 青岛某某有限公司']);
    expect(view.roles).toEqual(['enterprise', 'handler']);
    expect(view.enterprise).toEqual({ id: '7', name: '青岛某某有限公司', uscc: '91350100M000100Y43' });
  });

  it('shows a pending binding and no phone', () => {
    const view = personView(
      userFixture({
        phone: null,
        pendingBinding: { id: '3', enterpriseName: '青岛某某有限公司', status: 'pending', createdAt: '2026-11-20T10:00:00+08:00' },
      }),
    );
    expect(view.phone).toBe('未绑定');
    expect(view.hasPhone).toBe(false);
    expect(view.roles).toEqual([]);
    expect(view.pending).toEqual({ enterpriseName: '青岛某某有限公司', since: '2026-11-20' });
  });

  it('labels a grant without a place by its role alone', () => {
    expect(grantLabel(grant('admin'))).toBe('管理员');
  });
});
