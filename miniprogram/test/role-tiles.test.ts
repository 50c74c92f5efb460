/**
 * @jest-environment jsdom
 */
// Renders the real role-tiles component (its WXML, WXSS and TypeScript) with miniprogram-simulate.
import { beforeAll, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

const COMPONENT = `${__dirname}/../src/components/role-tiles/index`;

let tilesId: string;

beforeAll(() => {
  // The WXML is compiled by simulate's JS compiler: no WeChat binary needed on the test machine.
  tilesId = simulate.load(COMPONENT, 'role-tiles', { compiler: 'simulate' });
});

type Rendered = ReturnType<typeof simulate.render>;

function render(roles: string[]): Rendered {
  const comp = simulate.render(tilesId, { roles });
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

// Selectors go through the component (simulate scopes class names per component).
function labels(comp: Rendered): string[] {
  return comp.querySelectorAll('.tile__label').map((label) => label.dom?.textContent ?? '');
}

describe('role-tiles', () => {
  it('renders the tiles of the given roles in role order', () => {
    const comp = render(['admin', 'enterprise']);

    expect(labels(comp)).toEqual(['提交诉求', '我的诉求', '活动', '政策推荐', '待办诉求', '数据看板', '企业之声', '媒体观察']);
    expect(comp.querySelectorAll('.tile__glyph').map((g) => g.dom?.textContent)).toEqual(['提', '我', '活', '政', '待', '数', '企', '媒']);
    // No tile says 建设中: every feature shown has its page.
    expect(comp.dom?.textContent).not.toContain('建设中');
  });

  it('renders nothing for a person without roles', () => {
    const comp = render([]);

    expect(comp.querySelectorAll('.tile')).toHaveLength(0);
    expect(comp.dom?.textContent?.trim()).toBe('');
  });

  it('re-renders when the roles change', async () => {
    const comp = render(['handler']);
    expect(labels(comp)).toEqual(['待办诉求', '督办任务', '暗访报告']);

    comp.setData({ roles: ['officer', 'media'] });
    await simulate.sleep(0);

    expect(labels(comp)).toEqual(['暗访任务', '出卷', '媒体观察', '宣传登记']);
  });

  it('emits select with the tapped tile to the page that binds it', async () => {
    const selected: unknown[] = [];
    // A host standing in for the home page, bound the way its WXML binds the component.
    const hostId = simulate.load({
      template: '<role-tiles id="tiles" roles="{{roles}}" bind:select="onSelect" />',
      usingComponents: { 'role-tiles': tilesId },
      data: { roles: ['butler'] },
      methods: {
        onSelect(e: WechatMiniprogram.CustomEvent) {
          selected.push(e.detail);
        },
      },
    });
    const host = simulate.render(hostId);
    host.attach(document.createElement('parent-wrapper'));

    const tiles = host.querySelector('#tiles')?.querySelectorAll('.tile') ?? [];
    expect(tiles).toHaveLength(5);
    for (const tile of tiles) tile.dispatchEvent('tap');
    await simulate.sleep(0);

    expect(selected).toEqual([
      { key: 'butler.workbench', label: '工作台', role: 'butler', url: '/subpackages/demand/list/index?mode=todo' },
      { key: 'butler.callbacks', label: '新企业回访', role: 'butler', url: '/subpackages/butler/callbacks/index' },
      { key: 'butler.visits', label: '三上门走访', role: 'butler', url: '/subpackages/butler/visits-due/index' },
      { key: 'butler.observations', label: '媒体观察', role: 'butler', url: '/subpackages/admin/observations/index' },
      { key: 'butler.enterprises', label: '我的企业', role: 'butler', url: '/subpackages/butler/enterprises/index' },
    ]);
  });
});
