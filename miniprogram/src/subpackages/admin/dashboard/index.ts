// The admins' dashboard (数据看板): every panel over one period (the last 30 days to start with;
// presets 近7天 / 近30天 / 近90天, or a from–to picked, a start after the end refused here).
// The panels (`GET /dashboard/{demands,callbacks,publicity,plans,policies,programs,units}`) load
// side by side and each fails on its own; bars are drawn in WXML with widths from `barWidths`.
// The unit league shows each rate with its sample and greys units sent fewer than 10 demands.
import {
  getCallbackPanel,
  getDemandPanel,
  getPlansPanel,
  getPoliciesPanel,
  getProgramsPanel,
  getPublicityPanel,
  getUnitsPanel,
} from '../../../services/dashboard';
import type { DashboardRange } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import {
  addDays,
  callbackPanelView,
  checkRange,
  defaultRange,
  demandPanelView,
  plansPanelView,
  policiesPanelView,
  programsPanelView,
  publicityPanelView,
  unitRows,
  type BarView,
  type CountsPanelView,
  type DemandPanelView,
  type PlansPanelView,
  type PublicityPanelView,
  type StatView,
  type UnitRowView,
} from '../utils/dashboard';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';

type State = 'loading' | 'error' | 'ready';

type PanelName = 'demands' | 'callbacks' | 'publicity' | 'plans' | 'policies' | 'programs' | 'units';

const PANELS: readonly PanelName[] = ['demands', 'callbacks', 'publicity', 'plans', 'policies', 'programs', 'units'];

/** Each panel's request and the view it is shown as. */
const LOADERS: Record<PanelName, (range: DashboardRange) => Promise<unknown>> = {
  demands: async (r) => demandPanelView(await getDemandPanel(r)),
  callbacks: async (r) => callbackPanelView(await getCallbackPanel(r)),
  publicity: async (r) => publicityPanelView(await getPublicityPanel(r)),
  plans: async () => plansPanelView(await getPlansPanel()),
  policies: async (r) => policiesPanelView(await getPoliciesPanel(r)),
  programs: async (r) => programsPanelView(await getProgramsPanel(r)),
  units: async (r) => unitRows((await getUnitsPanel(r)).items),
};

const PRESETS = [7, 30, 90] as const;

function noErrors(): Record<PanelName, string> {
  return { demands: '', callbacks: '', publicity: '', plans: '', policies: '', programs: '', units: '' };
}

Page({
  loadSeq: 0,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    from: '',
    to: '',
    today: '',
    /** The preset in force (days), or 0 for a period picked by hand. */
    preset: 30,
    presets: PRESETS.map((days) => ({ days, label: `近${days}天` })),
    rangeError: '',
    /** The date being picked: `from`, `to`, or ''. */
    picking: '' as 'from' | 'to' | '',
    pickerValue: '',
    /** The server's threshold for ranking a unit. */
    minDispatched: 10,
    errors: noErrors(),
    demands: null as DemandPanelView | null,
    callbacks: null as CountsPanelView | null,
    publicity: null as PublicityPanelView | null,
    plans: null as PlansPanelView | null,
    policies: null as BarView[] | null,
    programs: null as StatView[] | null,
    units: null as UnitRowView[] | null,
  },

  onLoad() {
    const today = chinaToday();
    this.setData({ today, ...defaultRange(today), preset: 30 });
    void this.load(false);
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  async load(quiet: boolean) {
    const seq = ++this.loadSeq;
    const range: DashboardRange = { from: this.data.from, to: this.data.to };
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    const results = await Promise.allSettled(PANELS.map((name) => LOADERS[name](range)));
    if (seq !== this.loadSeq) return;
    const errors = noErrors();
    const patch: Record<string, unknown> = {};
    results.forEach((result, i) => {
      const name = PANELS[i]!;
      if (result.status === 'fulfilled') patch[name] = result.value;
      else {
        patch[name] = null;
        errors[name] = errorMessage(result.reason);
      }
    });
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === PANELS.length) {
      // Nothing to show (not an admin, offline): one message for the page.
      this.setData({ state: 'error', errorMessage: errorMessage(failed[0]!.reason) });
      return;
    }
    this.setData({ ...patch, errors, state: 'ready' });
  },

  onRetry() {
    void this.load(false);
  },

  onPresetTap(e: WechatMiniprogram.TouchEvent) {
    const days = Number(e.currentTarget.dataset.days);
    if (!PRESETS.some((p) => p === days)) return;
    const today = this.data.today || chinaToday();
    this.setData({ from: addDays(today, -days), to: today, preset: days, rangeError: '' });
    void this.load(false);
  },

  onDateTap(e: WechatMiniprogram.TouchEvent) {
    const field: unknown = e.currentTarget.dataset.field;
    if (field !== 'from' && field !== 'to') return;
    this.setData({ picking: field, pickerValue: this.data[field] || this.data.today });
  },

  onDateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const field = this.data.picking;
    if (!field) return;
    const value = String(e.detail.value).slice(0, 10);
    const from = field === 'from' ? value : this.data.from;
    const to = field === 'to' ? value : this.data.to;
    const rangeError = checkRange(from, to);
    this.setData({ picking: '', [field]: value, preset: 0, rangeError });
    if (rangeError) {
      wx.showToast({ title: rangeError, icon: 'none' });
      return;
    }
    void this.load(false);
  },

  onDateCancel() {
    this.setData({ picking: '' });
  },
});
