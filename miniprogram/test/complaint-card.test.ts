/**
 * @jest-environment jsdom
 */
// Renders the real complaint-card component (its WXML, WXSS and TypeScript) with
// miniprogram-simulate, inside a host bound the way the event page binds it; TDesign components
// are stubs that declare TDesign's real properties.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import type { Complaint } from '../src/types/api';
import { complaintFixture, installFakeWx, type FakeWx } from './helpers/fake-wx';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
const fs = require('fs') as Fs;

const COMPONENT = `${__dirname}/../src/subpackages/event/components/complaint-card/index`;

type Rendered = ReturnType<typeof simulate.render>;

let cardId: string;
let wxFake: FakeWx;

beforeAll(() => {
  const json = JSON.parse(fs.readFileSync(`${COMPONENT}.json`, 'utf8')) as { usingComponents: Record<string, string> };
  cardId = simulate.load(COMPONENT, 'complaint-card', { compiler: 'simulate', usingComponents: tdesignStubs(json.usingComponents) });
});

beforeEach(() => {
  wxFake = installFakeWx();
});

interface HostData {
  complaint: Complaint;
  photoUrls: Record<string, string>;
  open: boolean;
  canHide: boolean;
  busy: boolean;
}

/** The card inside a host page; `events` records what it emitted, as `[name, detail]`. */
function renderInHost(data: Partial<HostData> = {}): { host: Rendered; card: Rendered; events: [string, unknown][] } {
  const events: [string, unknown][] = [];
  const hostId = simulate.load({
    template: `<complaint-card id="card" complaint="{{complaint}}" photo-urls="{{photoUrls}}" open="{{open}}"
      can-hide="{{canHide}}" busy="{{busy}}" bind:metoo="onMetoo" bind:hide="onHide" />`,
    usingComponents: { 'complaint-card': cardId },
    data: { complaint: complaintFixture(), photoUrls: {}, open: true, canHide: false, busy: false, ...data },
    methods: {
      onMetoo(e: WechatMiniprogram.CustomEvent) {
        events.push(['metoo', e.detail]);
      },
      onHide(e: WechatMiniprogram.CustomEvent) {
        events.push(['hide', e.detail]);
      },
    },
  });
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  const card = host.querySelector('#card');
  if (!card) throw new Error('complaint-card not rendered');
  return { host, card, events };
}

function text(card: Rendered, selector: string): string {
  return card.querySelector(selector)?.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function count(card: Rendered, selector: string): number {
  return card.querySelectorAll(selector).length;
}

async function tap(card: Rendered, selector: string): Promise<void> {
  const node = card.querySelector(selector);
  if (!node) throw new Error(`${selector} not found`);
  node.dispatchEvent('tap');
  await simulate.sleep(0);
}

const replied = complaintFixture({
  official: {
    demandId: '101',
    number: 'SQ20261128-0009',
    status: 'replied',
    statusLabel: '已答复',
    reply: '已将申请材料由 8 项精简为 3 项',
    repliedAt: '2026-11-29T09:30:00+08:00',
    unitName: '青岛市人社局',
  },
});

describe('complaint-card', () => {
  it('shows the post: author, environment, content, time and the 同感 count', () => {
    const { card } = renderInHost();

    expect(text(card, '.complaint__author')).toBe('青岛某某有限公司');
    expect(text(card, '.complaint__environment')).toBe('政策环境');
    expect(text(card, '.complaint__content')).toBe('稳岗补贴申请材料太多');
    expect(text(card, '.complaint__time')).toBe('2026-11-28 10:05');
    expect(text(card, '#metoo')).toBe('同感 3');
    expect((card.querySelector('#metoo-icon')?.data as Record<string, unknown>).name).toBe('thumb-up');
    expect(count(card, '.official')).toBe(0);
    expect(count(card, '#hide')).toBe(0);
  });

  it('renders the official reply under the post: status, unit, reply and when', () => {
    const { card } = renderInHost({ complaint: replied });

    expect(text(card, '.official__title')).toBe('官方回复');
    expect(text(card, '.official__status')).toBe('已答复');
    expect((card.querySelector('.official__status')?.data as Record<string, unknown>).theme).toBe('warning');
    expect(text(card, '.official__unit')).toBe('承办单位：青岛市人社局');
    expect(text(card, '.official__reply')).toBe('已将申请材料由 8 项精简为 3 项');
    expect(text(card, '.official__time')).toBe('答复于 2026-11-29 09:30');
    expect(count(card, '.official__pending')).toBe(0);
  });

  it('says the demand is being handled while there is no reply yet', () => {
    const { card } = renderInHost({
      complaint: complaintFixture({
        official: { demandId: '101', number: 'SQ1', status: 'assigned', statusLabel: '已派单', reply: null, repliedAt: null, unitName: '青岛市税务局' },
      }),
    });

    expect(text(card, '.official__status')).toBe('已派单');
    expect(text(card, '.official__pending')).toBe('正在办理，答复后将在此公开');
    expect(count(card, '.official__reply')).toBe(0);
    expect(count(card, '.official__time')).toBe(0);
  });

  it('emits metoo with the post\'s id when the viewer may add one', async () => {
    const { card, events } = renderInHost();

    await tap(card, '#metoo');

    expect(events).toEqual([['metoo', { id: '31' }]]);
  });

  it('emits nothing for a post the viewer already agreed with, their own, while busy, or once the day is closed', async () => {
    const cases: Partial<HostData>[] = [
      { complaint: complaintFixture({ metooByMe: true, metooCount: 4 }) },
      { complaint: complaintFixture({ mine: true }) },
      { busy: true },
      { open: false },
    ];
    for (const data of cases) {
      const { card, events } = renderInHost(data);
      await tap(card, '#metoo');
      expect(events).toEqual([]);
    }
    const { card } = renderInHost({ complaint: complaintFixture({ metooByMe: true, metooCount: 4 }) });
    expect(text(card, '#metoo')).toBe('已同感 4');
    expect(card.querySelector('#metoo')?.dom?.className).toContain('metoo--on');
    expect((card.querySelector('#metoo-icon')?.data as Record<string, unknown>).name).toBe('thumb-up-filled');
  });

  it('follows the count and state the page passes after a 同感', async () => {
    const { host, card, events } = renderInHost();

    host.setData({ complaint: complaintFixture({ metooCount: 4, metooByMe: true }) });
    await simulate.sleep(0);
    await tap(card, '#metoo');

    expect(text(card, '#metoo')).toBe('已同感 4');
    expect(events).toEqual([]);
  });

  it('marks the viewer\'s own post', () => {
    const { card } = renderInHost({ complaint: complaintFixture({ mine: true }) });
    expect(text(card, '.complaint__mine')).toBe('我的');
  });

  it('offers 「隐藏」 to moderators only, and emits hide', async () => {
    const { card, events } = renderInHost({ canHide: true });

    expect(text(card, '#hide')).toBe('隐藏');
    await tap(card, '#hide');

    expect(events).toEqual([['hide', { id: '31' }]]);
  });

  it('shows a hidden post with its reason and no second 隐藏', () => {
    const { card } = renderInHost({ canHide: true, complaint: complaintFixture({ hidden: true, hiddenReason: '含人身攻击' }) });

    expect(text(card, '.complaint__hidden')).toBe('已隐藏：含人身攻击');
    expect(count(card, '#hide')).toBe(0);
  });

  it('shows the downloaded photos and previews them, a placeholder until a photo is there', async () => {
    const { card } = renderInHost({
      complaint: complaintFixture({ photos: ['11', '12'] }),
      photoUrls: { '11': 'wxfile://tmp/11.jpg' },
    });

    expect(count(card, '.photo')).toBe(2);
    expect(count(card, '.photo__image')).toBe(1);
    expect(text(card, '.photo__placeholder')).toBe('图片');
    await tap(card, '.photo');

    expect(wxFake.previews).toEqual([{ current: 'wxfile://tmp/11.jpg', urls: ['wxfile://tmp/11.jpg'] }]);
  });
});
