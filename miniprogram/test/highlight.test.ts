/**
 * @jest-environment jsdom
 */
// Renders the real highlight component (the policy search's titles and snippets) with
// miniprogram-simulate.
import { beforeAll, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

const COMPONENT = `${__dirname}/../src/subpackages/policy/components/highlight/index`;

let highlightId: string;

beforeAll(() => {
  highlightId = simulate.load(COMPONENT, 'highlight', { compiler: 'simulate' });
});

type Rendered = ReturnType<typeof simulate.render>;

function render(segments: unknown): Rendered {
  const comp = simulate.render(highlightId, { segments });
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

const texts = (comp: Rendered, selector: string) => comp.querySelectorAll(selector).map((n) => n.dom?.textContent ?? '');

describe('highlight', () => {
  it('marks the matched words and keeps the text in order', () => {
    const comp = render([
      { text: '关于支持', hit: false },
      { text: '高新', hit: true },
      { text: '技术', hit: true },
      { text: '企业', hit: false },
      { text: '', hit: true },
      { text: '发展的若干措施', hit: false },
    ]);

    expect(texts(comp, '.highlight__hit')).toEqual(['高新技术']);
    expect(texts(comp, '.highlight__plain')).toEqual(['关于支持', '企业发展的若干措施']);
    expect(comp.dom?.textContent).toBe('关于支持高新技术企业发展的若干措施');
  });

  it('draws text as text, never as markup', () => {
    const comp = render([{ text: '<b>补贴</b>', hit: true }]);

    expect(texts(comp, '.highlight__hit')).toEqual(['<b>补贴</b>']);
    expect(comp.querySelectorAll('b')).toHaveLength(0);
  });

  it('ignores what is not a segment, and follows new segments', async () => {
    const comp = render([{ hit: true }, null, { text: '人才', hit: 'yes' }]);
    expect(texts(comp, '.highlight__plain')).toEqual(['人才']);
    expect(comp.querySelectorAll('.highlight__hit')).toHaveLength(0);

    comp.setData({ segments: [{ text: '稳岗', hit: true }] });
    await simulate.sleep(0);

    expect(texts(comp, '.highlight__hit')).toEqual(['稳岗']);
    expect(comp.querySelectorAll('.highlight__plain')).toHaveLength(0);
  });
});
