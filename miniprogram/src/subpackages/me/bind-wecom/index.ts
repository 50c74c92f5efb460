// Bind the person's WeCom identity: in an enterprise group chat they send 「绑定」 to 亲清助手 and
// get a 6-digit code (valid 10 minutes, usable once), which they enter here. Their demands from
// the group are then filed for their enterprise, and the bot tells them their progress.
import { bindWecom } from '../../../services/me';
import { formErrors } from '../../../utils/forms';
import { wecomCode } from '../../../utils/wecom';

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
      this.setData({ error: '请输入 6 位数字验证码' });
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
