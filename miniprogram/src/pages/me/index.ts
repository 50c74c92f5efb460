// "Me": phone (masked or whole, as the server returns it) and its binding, the enterprise (whose
// cell opens its profile, 企业画像) or the pending binding request, 涉企检查 for an enterprise's
// members (受邀检查 for invited experience officers and media observers) and 免罚清单 for anyone signed in, conduct supervision for anyone signed in (问题线索反映,
// 我反映的线索, 典型案例通报), persona switching (development mode) and sign-out.
import { config } from '../../config';
import { bindPhone, deleteAccount, getMe } from '../../services/me';
import { clearAllDrafts } from '../../utils/drafts';
import { openPrivacyContract } from '../../utils/privacy';
import { errorMessage } from '../../utils/api-error';
import { refreshUnreadBadge } from '../../utils/notices';
import { CLUE_CASES_PAGE, CLUE_REPORT_PAGE, INSPECTIONS_PAGE, LENIENCY_PAGE, MY_CLUES_PAGE } from '../../utils/roles';
import { inspectionsEntry, personView, type InspectionsEntry, type PersonView } from '../../utils/person';
import { phoneCode, type PhoneNumberDetail } from '../../utils/phone';
import * as session from '../../utils/session';
import { forgetSignIn, needsPersona, signInError, signInOnLaunch, signOut, whenSignedIn } from '../../utils/signin';

const PERSONA_PAGE = '/subpackages/auth/persona/index';
const BIND_PAGE = '/subpackages/me/bind-enterprise/index';
const PROFILE_PAGE = '/subpackages/me/enterprise-profile/index';
const WECOM_PAGE = '/subpackages/me/bind-wecom/index';
const EXPORT_PAGE = '/subpackages/me/export/index';

/** What 注销账号 does, said before it is done (DELETE /me cannot be undone). */
export const DELETE_ACCOUNT_TEXT =
  '注销后，您的姓名、手机号和微信身份将被删除，所有角色和登录立即失效，且无法恢复。您提交过的诉求会保留，用于办理和统计，但不再显示您的身份。确定注销吗？';

type State = 'loading' | 'signedOut' | 'error' | 'ready';

Page({
  data: {
    state: 'loading' as State,
    errorMessage: '',
    person: null as PersonView | null,
    /** 涉企检查 / 受邀检查, or null when the person has none to see. */
    inspections: null as InspectionsEntry | null,
    devMode: config.devMode,
    personaName: '',
    bindingPhone: false,
    signingOut: false,
    deleting: false,
  },

  onShow() {
    void this.load();
    void refreshUnreadBadge();
  },

  async load() {
    this.setData({ devMode: config.devMode, personaName: session.getPersona()?.name ?? '' });
    if (needsPersona()) {
      this.setData({ state: 'signedOut' });
      return;
    }
    await whenSignedIn();
    if (!session.isSignedIn()) {
      const failure = signInError();
      this.setData(failure ? { state: 'error', errorMessage: failure.message } : { state: 'signedOut' });
      return;
    }
    try {
      const person = personView(await getMe());
      this.setData({ state: 'ready', person, inspections: inspectionsEntry(person) });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async onGetPhoneNumber(e: WechatMiniprogram.CustomEvent<PhoneNumberDetail>) {
    const code = phoneCode(e.detail);
    if (!code) {
      wx.showToast({ title: '未授权手机号，可稍后再绑定', icon: 'none' });
      return;
    }
    this.setData({ bindingPhone: true });
    try {
      const user = await bindPhone(code);
      const person = personView(user);
      this.setData({ person, inspections: inspectionsEntry(person) });
      wx.showToast({ title: '手机号已绑定', icon: 'success' });
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      this.setData({ bindingPhone: false });
    }
  },

  onBindEnterprise() {
    wx.navigateTo({ url: BIND_PAGE });
  },

  /** The bound enterprise's cell: its profile (企业画像), which policy matching reads. */
  onEnterpriseProfile() {
    const enterprise = this.data.person?.enterprise;
    if (enterprise) wx.navigateTo({ url: `${PROFILE_PAGE}?id=${encodeURIComponent(enterprise.id)}` });
  },

  /** Binding the WeCom identity the group bot knows, with the code it gave. */
  onBindWecom() {
    wx.navigateTo({ url: WECOM_PAGE });
  },

  /** 隐私政策: the 隐私保护指引 filled in on the WeChat admin console, as WeChat shows it. */
  onPrivacyPolicy() {
    openPrivacyContract();
  },

  onExportData() {
    wx.navigateTo({ url: EXPORT_PAGE });
  },

  /** 涉企检查: my enterprise's inspections, or (受邀检查) those I am invited to observe. */
  onInspections() {
    if (this.data.inspections) wx.navigateTo({ url: INSPECTIONS_PAGE });
  },

  /** 免罚清单: the 轻微违法免罚 / 首违不罚 lists. */
  onLeniency() {
    wx.navigateTo({ url: LENIENCY_PAGE });
  },

  /** 问题线索反映: an official's conduct, read by discipline staff only. */
  onReportClue() {
    wx.navigateTo({ url: CLUE_REPORT_PAGE });
  },

  onMyClues() {
    wx.navigateTo({ url: MY_CLUES_PAGE });
  },

  onClueCases() {
    wx.navigateTo({ url: CLUE_CASES_PAGE });
  },

  /** 注销账号: said plainly first, in red, and only then done. */
  onDeleteAccount() {
    if (this.data.deleting) return;
    wx.showModal({
      title: '注销账号',
      content: DELETE_ACCOUNT_TEXT,
      confirmText: '确认注销',
      confirmColor: '#c9353f',
      cancelText: '再想想',
      success: (res) => {
        if (res.confirm) void this.doDeleteAccount();
      },
    });
  },

  async doDeleteAccount() {
    this.setData({ deleting: true });
    try {
      await deleteAccount();
    } catch (err) {
      // 409 last_admin: the only admin cannot leave; the server says so.
      wx.showModal({ title: '无法注销', content: errorMessage(err), showCancel: false });
      this.setData({ deleting: false });
      return;
    }
    forgetSignIn();
    clearAllDrafts();
    this.setData({ deleting: false, state: 'signedOut', person: null, inspections: null, personaName: '' });
    wx.showToast({ title: '账号已注销', icon: 'none' });
  },

  onSwitchPersona() {
    wx.navigateTo({ url: PERSONA_PAGE });
  },

  async onSignIn() {
    if (needsPersona()) {
      wx.navigateTo({ url: PERSONA_PAGE });
      return;
    }
    this.setData({ state: 'loading' });
    await signInOnLaunch();
    await this.load();
  },

  onSignOut() {
    wx.showModal({
      title: '退出登录',
      content: '确定退出登录吗？',
      confirmText: '退出',
      success: (res) => {
        if (res.confirm) void this.doSignOut();
      },
    });
  },

  async doSignOut() {
    this.setData({ signingOut: true });
    await signOut();
    this.setData({ signingOut: false, state: 'signedOut', person: null, inspections: null, personaName: '' });
    wx.showToast({ title: '已退出登录', icon: 'none' });
  },
});
