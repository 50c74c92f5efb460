// Bind the signed-in person to their enterprise by its USCC: checked here first (check digit),
// then by the server, whose field errors are shown next to the fields. With a matching invite
// code the binding is immediate; otherwise it waits for staff approval.
import { bindEnterprise } from '../../../services/me';
import { formErrors } from '../../../utils/forms';
import { validateUscc } from '../utils/uscc';

const FIELDS = ['uscc', 'inviteCode'] as const;
type Field = (typeof FIELDS)[number];

interface Result {
  status: 'bound' | 'pending';
  enterpriseName: string;
}

Page({
  data: {
    uscc: '',
    inviteCode: '',
    errors: { uscc: '', inviteCode: '' } as Record<Field, string>,
    formError: '',
    submitting: false,
    result: null as Result | null,
  },

  onUsccChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ uscc: e.detail.value, 'errors.uscc': '', formError: '' });
  },

  onInviteCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ inviteCode: e.detail.value, 'errors.inviteCode': '', formError: '' });
  },

  // The inputs' clear buttons empty the field without a change event.
  onUsccClear() {
    this.setData({ uscc: '', 'errors.uscc': '' });
  },

  onInviteCodeClear() {
    this.setData({ inviteCode: '', 'errors.inviteCode': '' });
  },

  onUsccBlur() {
    // Say what is wrong as soon as the person leaves a non-empty field.
    if (this.data.uscc.trim() === '') return;
    const checked = validateUscc(this.data.uscc);
    this.setData({ 'errors.uscc': checked.ok ? '' : checked.message });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const checked = validateUscc(this.data.uscc);
    if (!checked.ok) {
      this.setData({ 'errors.uscc': checked.message });
      return;
    }
    const inviteCode = this.data.inviteCode.trim();
    this.setData({ submitting: true, formError: '', uscc: checked.value });
    try {
      const res = await bindEnterprise(inviteCode ? { uscc: checked.value, inviteCode } : { uscc: checked.value });
      this.setData({ result: { status: res.status === 'bound' ? 'bound' : 'pending', enterpriseName: res.enterprise.name } });
    } catch (err) {
      const shown = formErrors(err, FIELDS, { enterprise_not_found: 'uscc' });
      this.setData({ errors: shown.fields, formError: shown.form });
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
