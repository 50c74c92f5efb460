/**
 * @jest-environment jsdom
 */
// Renders the real timeline component with miniprogram-simulate.
import { beforeAll, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import { eventFixture } from './helpers/fake-wx';

const COMPONENT = `${__dirname}/../src/subpackages/demand/components/timeline/index`;

let timelineId: string;

beforeAll(() => {
  timelineId = simulate.load(COMPONENT, 'timeline', { compiler: 'simulate' });
});

type Rendered = ReturnType<typeof simulate.render>;

function render(events: unknown[]): Rendered {
  const comp = simulate.render(timelineId, { events });
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

const texts = (comp: Rendered, selector: string) => comp.querySelectorAll(selector).map((n) => n.dom?.textContent ?? '');

const events = [
  eventFixture({ id: '1', actionLabel: '提交', actorRole: 'enterprise', createdAt: '2026-11-28T09:30:00+08:00' }),
  eventFixture({ id: '2', action: 'accept', actionLabel: '受理', actorRole: 'butler', actorName: '王管家', createdAt: '2026-11-28T10:00:00+08:00' }),
  eventFixture({
    id: '3',
    action: 'return',
    actionLabel: '退回',
    actorRole: 'handler',
    actorUnit: { id: '3', name: '青岛市税务局' },
    note: '不属于本单位职责',
    createdAt: '2026-11-29T08:15:00+08:00',
  }),
];

describe('timeline', () => {
  it('lists the events newest first with action, actor, note and China time', () => {
    const comp = render(events);

    expect(texts(comp, '.event__title')).toEqual(['退回', '受理', '提交']);
    expect(texts(comp, '.event__actor')).toEqual(['单位经办人 · 青岛市税务局', '服务管家 · 王管家', '企业']);
    expect(texts(comp, '.event__note')).toEqual(['不属于本单位职责']);
    expect(texts(comp, '.event__time')).toEqual(['2026-11-29 08:15', '2026-11-28 10:00', '2026-11-28 09:30']);
    // The rail joins the events: no line below the oldest.
    expect(comp.querySelectorAll('.event__line')).toHaveLength(2);
  });

  it('says so when there is nothing yet, and follows new events', async () => {
    const comp = render([]);
    expect(texts(comp, '.timeline__empty')).toEqual(['暂无办理记录']);

    comp.setData({ events: events.slice(0, 1) });
    await simulate.sleep(0);

    expect(texts(comp, '.event__title')).toEqual(['提交']);
    expect(comp.querySelectorAll('.timeline__empty')).toHaveLength(0);
  });
});
