// The home page's grid of features for the roles a person holds. Emits `select` with the tile
// tapped; the page opens it.
import { tilesFor, type Tile } from '../../utils/roles';

export interface TileView extends Tile {
  /** First character of the label, shown in the round badge. */
  glyph: string;
}

export type TileSelectDetail = Pick<Tile, 'key' | 'label' | 'role' | 'url'>;

function views(roles: unknown): TileView[] {
  const list = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  return tilesFor(list).map((t) => ({ ...t, glyph: t.label.charAt(0) }));
}

Component({
  properties: {
    /** Role codes, e.g. `['enterprise', 'admin']`. */
    roles: { type: Array, value: [] as string[] },
  },
  data: {
    tiles: [] as TileView[],
  },
  observers: {
    roles(roles: unknown) {
      this.setData({ tiles: views(roles) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ tiles: views(this.data.roles) });
    },
  },
  methods: {
    onTap(e: WechatMiniprogram.TouchEvent) {
      const key: unknown = e.currentTarget.dataset.key;
      const tile = this.data.tiles.find((t) => t.key === key);
      if (!tile) return;
      const detail: TileSelectDetail = { key: tile.key, label: tile.label, role: tile.role, url: tile.url };
      this.triggerEvent('select', detail);
    },
  },
});
