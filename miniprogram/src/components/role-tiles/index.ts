// The home page's grid of features for the roles a person holds. Emits `select` with the tile
// tapped; the page decides what happens (open the page, or say it is not built yet).
import { tilesFor, type Tile } from '../../utils/roles';

export interface TileView extends Tile {
  /** First character of the label, shown in the round badge. */
  glyph: string;
  /** True while the feature has no page yet. */
  comingSoon: boolean;
}

export type TileSelectDetail = Pick<Tile, 'key' | 'label' | 'role' | 'url'>;

function views(roles: unknown): TileView[] {
  const list = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  return tilesFor(list).map((t) => ({ ...t, glyph: t.label.charAt(0), comingSoon: t.url === undefined }));
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
      const detail: TileSelectDetail = { key: tile.key, label: tile.label, role: tile.role };
      if (tile.url !== undefined) detail.url = tile.url;
      this.triggerEvent('select', detail);
    },
  },
});
