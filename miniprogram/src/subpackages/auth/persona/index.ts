// Development mode only: pick one of the server's demo personas and sign in as it
// (`{code: "dev:<name>"}`); the choice is remembered so later launches sign in silently.
import { config } from '../../../config';
import { listPersonas } from '../../../services/dev';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { ROLE_LABELS } from '../../../utils/roles';
import * as session from '../../../utils/session';
import { signInAsPersona } from '../../../utils/signin';

type State = 'loading' | 'disabled' | 'error' | 'ready';

interface PersonaItem {
  code: string;
  name: string;
  rolesText: string;
}

Page({
  data: {
    state: 'loading' as State,
    errorMessage: '',
    personas: [] as PersonaItem[],
    currentCode: '',
    busyCode: '',
  },

  onLoad() {
    void this.load();
  },

  async load() {
    if (!config.devMode) {
      this.setData({ state: 'disabled' });
      return;
    }
    this.setData({ state: 'loading', currentCode: session.getPersona()?.code ?? '' });
    try {
      const personas = (await listPersonas()).map((p) => ({
        code: p.code,
        name: p.name,
        rolesText: p.roles.length > 0 ? p.roles.map((r) => ROLE_LABELS[r] ?? r).join('、') : '暂无角色',
      }));
      this.setData({ state: 'ready', personas });
    } catch (err) {
      const message =
        err instanceof ApiError && err.status === 404 ? '服务器未运行在开发模式，无法使用演示身份' : errorMessage(err);
      this.setData({ state: 'error', errorMessage: message });
    }
  },

  async onPick(e: WechatMiniprogram.TouchEvent) {
    const code: unknown = e.currentTarget.dataset.code;
    const persona = this.data.personas.find((p) => p.code === code);
    if (!persona || this.data.busyCode) return;
    this.setData({ busyCode: persona.code });
    try {
      await signInAsPersona({ code: persona.code, name: persona.name });
      wx.showToast({ title: `已切换为${persona.name}`, icon: 'none' });
      // Back to the home tab, which reloads for the new person on show.
      wx.switchTab({ url: '/pages/home/index' });
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      this.setData({ busyCode: '' });
    }
  },

  onRetry() {
    void this.load();
  },
});
