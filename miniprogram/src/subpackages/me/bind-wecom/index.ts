// Bind the person's WeCom identity: in an enterprise group chat they send 「绑定」 to 亲清助手 and
// get a code `123-456789` (valid 10 minutes, usable once, void after five wrong tries), which
// they enter here. Their demands from
// the group are then filed for their enterprise, and the bot tells them their progress.
import { bindWecom } from '../../../services/me';
import { formErrors } from '../../../utils/forms';
import { wecomCode } from '../utils/wecom';

const FIELDS = ['code'] as const;

Page({
  data: {
    code: '',
    error: '',
    formError: '',
    submitting: false,
    boundAs: '',
  },

  onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ code: e.detail.value, error: '', formError: '' });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const code = wecomCode(this.data.code);
    if (!code) {
      this.setData({ error: '请输入 9 位数字绑定码，如 123-456789' });
      return;
    }
    this.setData({ submitting: true, error: '', formError: '' });
    try {
      const res = await bindWecom(code);
      this.setData({ boundAs: res.wecomUserId });
      wx.showToast({ title: '绑定成功', icon: 'success' });
    } catch (err) {
      const shown = formErrors(err, FIELDS);
      this.setData({ error: shown.fields.code, formError: shown.form });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onDone() {
    wx.navigateBack({
      fail: () => {
        wx.switchTab({ url: '/pages/me/index' });
      },
    });
  },
});
