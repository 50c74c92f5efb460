// WeChat's privacy authorization (隐私保护指引, required since 2023 and by PIPL): when an API that
// needs it (location, camera and album, phone number, clipboard) is called before the person
// agreed, WeChat calls `onNeedPrivacyAuthorization` and holds the call until it is resolved. The
// prompt on the current page (`components/privacy-prompt`) shows the request; its 同意 button
// (`open-type="agreePrivacyAuthorization"`) resolves the held calls with `agree`, 拒绝 with
// `disagree`, and the held API then fails with a privacy error (told apart by `isPrivacyRefusal`).

type Resolution = { event: 'agree'; buttonId: string } | { event: 'disagree' };
type Resolve = (res: Resolution) => void;
/** Shows the prompt for the API WeChat named (`getLocation`, `chooseMedia`, ...). */
type Show = (api: string) => void;

const held: Resolve[] = [];
// Prompts of the pages alive, in the order they were attached: the last is the current page's.
const prompts: Show[] = [];

/** The privacy APIs, in words, for the prompt. */
const API_LABELS: Record<string, string> = {
  getLocation: '获取您的位置（暗访签到）',
  chooseMedia: '使用相机和相册（上传照片）',
  chooseImage: '使用相机和相册（上传照片）',
  getPhoneNumber: '获取您的手机号（绑定手机号）',
  setClipboardData: '写入剪贴板（复制链接）',
  getClipboardData: '读取剪贴板',
};

export function privacyPurpose(api: string): string {
  return API_LABELS[api] ?? '使用相关功能';
}

/** Called once at launch. Older base libraries (< 2.32.3) have no privacy API: nothing to do. */
export function installPrivacyHandler(): void {
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return;
  // miniprogram-api-typings 5.2.3 gives the listener one argument; WeChat passes `resolve` and
  // `eventInfo` (developers.weixin.qq.com, wx.onNeedPrivacyAuthorization).
  const onNeed = wx.onNeedPrivacyAuthorization.bind(wx) as unknown as (listener: (resolve: Resolve, eventInfo?: { referrer?: string }) => void) => void;
  onNeed((resolve, eventInfo) => {
    held.push(resolve);
    const show = prompts[prompts.length - 1];
    // No prompt on this page: the held call fails as refused rather than waiting forever.
    if (show) show(eventInfo?.referrer ?? '');
    else resolveHeld({ event: 'disagree' });
  });
}

/** A prompt of a page comes and goes with the page; returns the detach function. */
export function attachPrompt(show: Show): () => void {
  prompts.push(show);
  return () => {
    const i = prompts.lastIndexOf(show);
    if (i >= 0) prompts.splice(i, 1);
  };
}

function resolveHeld(res: Resolution): void {
  for (const resolve of held.splice(0, held.length)) resolve(res);
}

/** 同意: `buttonId` is the id of the `agreePrivacyAuthorization` button that was tapped. */
export function agreePrivacy(buttonId: string): void {
  resolveHeld({ event: 'agree', buttonId });
}

/** 拒绝: the held calls fail; the page says so in words (`isPrivacyRefusal`). */
export function refusePrivacy(): void {
  resolveHeld({ event: 'disagree' });
}

/** 《隐私保护指引》 as WeChat shows it (the one filled in on the admin console). */
export function openPrivacyContract(): void {
  if (typeof wx.openPrivacyContract !== 'function') {
    wx.showToast({ title: '请升级微信后查看隐私保护指引', icon: 'none' });
    return;
  }
  wx.openPrivacyContract({
    fail: () => wx.showToast({ title: '隐私保护指引暂时无法打开，请稍后重试', icon: 'none' }),
  });
}

/**
 * True when an API failed because the privacy authorization was refused or is missing (errno
 * 104: not agreed; 112: not declared in the guide), not because a permission was refused or the
 * phone's location is off.
 */
export function isPrivacyRefusal(errMsg: string, errno?: number): boolean {
  return errno === 104 || errno === 112 || /privacy/i.test(errMsg);
}

/** For tests: forget the prompts and held calls of the previous test. */
export function resetPrivacy(): void {
  held.splice(0, held.length);
  prompts.splice(0, prompts.length);
}
