// A stand-in for the `wx` global: an in-memory storage, `wx.login` codes, and `wx.request`,
// `wx.uploadFile` and `wx.downloadFile` answered by routes the test declares. It records every
// request (and toast, modal, navigation, phone call, subscribe-message prompt, picture pick,
// position request, document opened, clipboard text, group entry, share menu) so tests can assert
// on what the real code did.
import { config } from '../../src/config';
import { contract, recordViolations } from './contract';
import type {
  Inspection,
  LeniencyItem,
  Assignment,
  CallbackTask,
  ClueCase,
  DueVisit,
  Complaint,
  Demand,
  DemandEvent,
  EngagementEvent,
  Enterprise,
  FormTemplate,
  MyClue,
  Observation,
  Publicity,
  ReportSummary,
  SupervisionActivity,
  UnitLeagueRow,
  User,
  Visit,
} from '../../src/types/api';

export interface SentRequest {
  /** Which platform API sent it. */
  via: 'request' | 'uploadFile' | 'downloadFile';
  method: string;
  /** The URL without the API base and without the query, e.g. `/me`. */
  path: string;
  /** The query parameters, decoded. */
  query: Record<string, string>;
  url: string;
  data: unknown;
  header: Record<string, string>;
  timeout: number | undefined;
  /** uploadFile: the local file and the multipart field name. */
  filePath?: string;
  name?: string;
}

export type Reply =
  | {
      statusCode: number;
      data?: unknown;
      header?: Record<string, string>;
      /**
       * Skips the contract check of this answer, saying why (e.g. a proxy's HTML error page, to
       * test that the client copes). Everything else a route answers must be what the OpenAPI
       * document allows, or the test fails (`test/setup.ts`).
       */
      offContract?: string;
    }
  | { failWith: string };

export type Route = (req: SentRequest) => Reply | Promise<Reply>;

interface RequestOption {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }) => void;
  fail?: (err: { errMsg: string; errno?: number }) => void;
}

interface UploadFileOption {
  url: string;
  filePath: string;
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, unknown>;
  timeout?: number;
  success?: (res: { statusCode: number; data: string; errMsg: string }) => void;
  fail?: (err: { errMsg: string }) => void;
}

interface DownloadFileOption {
  url: string;
  header?: Record<string, string>;
  timeout?: number;
  success?: (res: { statusCode: number; tempFilePath: string; filePath: string; errMsg: string }) => void;
  fail?: (err: { errMsg: string }) => void;
}

interface ModalOption {
  title?: string;
  content?: string;
  editable?: boolean;
  success?: (res: { confirm: boolean; cancel: boolean; content?: string; errMsg: string }) => void;
}

interface SubscribeOption {
  tmplIds: string[];
  success?: (res: Record<string, string>) => void;
  fail?: (err: { errMsg: string; errCode?: number }) => void;
}

interface LoginOption {
  success?: (res: { code: string; errMsg: string }) => void;
  fail?: (err: { errMsg: string }) => void;
}

export class FakeWx {
  readonly storage = new Map<string, unknown>();
  readonly sent: SentRequest[] = [];
  readonly toasts: string[] = [];
  /** Modals shown, as `title: content`; each is answered with `modalConfirms`. */
  readonly modals: string[] = [];
  modalConfirms = true;
  /** URLs of navigateTo / redirectTo / switchTab, prefixed by the call. */
  readonly navigations: string[] = [];
  /** Each `wx.previewImage` call: the image shown first and all of them. */
  readonly previews: { current: string; urls: string[] }[] = [];
  /** Files opened with `wx.openDocument`. */
  readonly documents: string[] = [];
  /** The `fileType` of each `wx.openDocument` call ('' when none was given). */
  readonly documentTypes: string[] = [];
  /** Makes `wx.openDocument` fail (a file the viewer cannot open). */
  openDocumentFails = false;
  /** Texts put on the clipboard with `wx.setClipboardData`. */
  readonly clipboard: string[] = [];
  /** Numbers dialled with `wx.makePhoneCall`. */
  readonly phoneCalls: string[] = [];
  /** Template ids of each `wx.requestSubscribeMessage` call. */
  readonly subscribeRequests: string[][] = [];
  /** The person's answer per template (`accept`, `reject`, ...); null makes the call fail. */
  subscribeAnswers: Record<string, string> | null = {};
  /** Codes handed out by successive `wx.login` calls; null makes that call fail. */
  loginCodes: (string | null)[] = ['wx-login-code'];
  loginCalls = 0;
  /**
   * What `wx.chooseMedia` hands back, one entry per call: local paths, or an `errMsg` to fail
   * with (e.g. `chooseMedia:fail cancel`). Each call's options are kept in `mediaRequests`.
   */
  mediaAnswers: (string[] | { errMsg: string })[] = [];
  readonly mediaRequests: { count: number; sourceType: string[] }[] = [];
  /** What `wx.getLocation` answers: a position, or an `errMsg` to fail with. */
  location: { latitude: number; longitude: number } | { errMsg: string } = { latitude: 36.0671, longitude: 120.3826 };
  /** The `type` of each `wx.getLocation` call. */
  readonly locationRequests: string[] = [];
  /** The build `wx.getAccountInfoSync()` reports (开发版 / 体验版 / 正式版); null makes it throw. */
  envVersion: 'develop' | 'trial' | 'release' | null = 'develop';
  /** `wx.showLoading` titles, and how many loadings are still shown. */
  readonly loadings: string[] = [];
  loadingShown = 0;
  /** Past this many requests every request fails, so a retry loop ends the test instead of hanging it. */
  maxRequests = 50;
  /** Check requests and answers against the API contract (always on; off only in the checker's own tests). */
  checkContract = true;
  private readonly routes = new Map<string, Route>();

  /** Answers `METHOD /path` (e.g. `GET /me`) with `route` from now on. */
  on(key: string, route: Route): this {
    this.routes.set(key, route);
    return this;
  }

  /** Requests sent to `METHOD /path`. */
  calls(key: string): SentRequest[] {
    return this.sent.filter((r) => `${r.method} ${r.path}` === key);
  }

  request(option: RequestOption): { abort(): void } {
    const req = this.record('request', option.method ?? 'GET', option.url, option.header, option.timeout);
    // wx serializes the body: keep a copy, not the caller's object.
    req.data = option.data === undefined ? undefined : JSON.parse(JSON.stringify(option.data));
    void this.answer(req).then((reply) => {
      if ('failWith' in reply) {
        option.fail?.({ errMsg: reply.failWith });
        return;
      }
      option.success?.({
        statusCode: reply.statusCode,
        // wx gives '' for an empty body.
        data: reply.data === undefined ? '' : reply.data,
        header: reply.header ?? {},
        errMsg: 'request:ok',
      });
    });
    return { abort() {} };
  }

  /** Sent as `POST <path>`; the reply's data is handed back as text, as the platform does. */
  uploadFile(option: UploadFileOption): { abort(): void } {
    const req = this.record('uploadFile', 'POST', option.url, option.header, option.timeout);
    req.filePath = option.filePath;
    req.name = option.name;
    req.data = option.formData;
    void this.answer(req).then((reply) => {
      if ('failWith' in reply) {
        option.fail?.({ errMsg: reply.failWith });
        return;
      }
      const data = reply.data === undefined ? '' : typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data);
      option.success?.({ statusCode: reply.statusCode, data, errMsg: 'uploadFile:ok' });
    });
    return { abort() {} };
  }

  /** Sent as `GET <path>`; a string reply data is the temporary path, else one is made up. */
  downloadFile(option: DownloadFileOption): { abort(): void } {
    const req = this.record('downloadFile', 'GET', option.url, option.header, option.timeout);
    void this.answer(req).then((reply) => {
      if ('failWith' in reply) {
        option.fail?.({ errMsg: reply.failWith });
        return;
      }
      const tempFilePath = typeof reply.data === 'string' ? reply.data : `wxfile://tmp${req.path}`;
      option.success?.({ statusCode: reply.statusCode, tempFilePath, filePath: '', errMsg: 'downloadFile:ok' });
    });
    return { abort() {} };
  }

  private record(
    via: SentRequest['via'],
    method: string,
    url: string,
    header: Record<string, string> | undefined,
    timeout: number | undefined,
  ): SentRequest {
    const rest = url.startsWith(config.apiBaseUrl) ? url.slice(config.apiBaseUrl.length) : url;
    const [path = '', search = ''] = rest.split('?', 2);
    const query: Record<string, string> = {};
    for (const pair of search.split('&').filter((p) => p !== '')) {
      const [k = '', v = ''] = pair.split('=', 2);
      query[decodeURIComponent(k)] = decodeURIComponent(v);
    }
    const req: SentRequest = { via, method, path, query, url, data: undefined, header: { ...(header ?? {}) }, timeout };
    this.sent.push(req);
    return req;
  }

  // Always answers asynchronously, as the platform does. The request and the route's answer are
  // checked against the API contract; violations fail the test (test/setup.ts).
  private answer(req: SentRequest): Promise<Reply> {
    if (this.checkContract) recordViolations(contract().checkRequest(req));
    const route: Route =
      this.sent.length > this.maxRequests
        ? () => ({ failWith: `${req.via}:fail fake-wx: too many requests (a retry loop?)` })
        : (this.routes.get(`${req.method} ${req.path}`) ??
          (() => ({ statusCode: 404, data: { error: 'not_found', message: '接口不存在', fields: [] } })));
    return Promise.resolve()
      .then(() => route(req))
      .then((reply) => {
        if (this.checkContract && !('failWith' in reply) && reply.offContract === undefined) {
          recordViolations(contract().checkResponse(req, reply.statusCode, reply.data));
        }
        return reply;
      });
  }

  login(option: LoginOption): void {
    const code = this.loginCodes[Math.min(this.loginCalls, this.loginCodes.length - 1)] ?? null;
    this.loginCalls += 1;
    setTimeout(() => {
      if (code === null) option.fail?.({ errMsg: 'login:fail' });
      else option.success?.({ code, errMsg: 'login:ok' });
    }, 0);
  }

  getAccountInfoSync(): { miniProgram: { appId: string; envVersion: string; version: string } } {
    if (this.envVersion === null) throw new Error('getAccountInfoSync:fail');
    return { miniProgram: { appId: 'wx0000000000000000', envVersion: this.envVersion, version: '' } };
  }

  getStorageSync(key: string): unknown {
    // The platform returns '' for a missing key.
    return this.storage.has(key) ? JSON.parse(JSON.stringify(this.storage.get(key))) : '';
  }

  setStorageSync(key: string, value: unknown): void {
    this.storage.set(key, JSON.parse(JSON.stringify(value)));
  }

  getStorageInfoSync(): { keys: string[]; currentSize: number; limitSize: number } {
    return { keys: [...this.storage.keys()], currentSize: 1, limitSize: 10240 };
  }

  removeStorageSync(key: string): void {
    this.storage.delete(key);
  }

  showToast(option: { title: string }): void {
    this.toasts.push(option.title);
  }

  /** What the person types into editable modals (`editable: true`), one per modal. */
  modalInputs: string[] = [];

  showModal(option: ModalOption): void {
    this.modals.push(`${option.title ?? ''}: ${option.content ?? ''}`);
    const confirm = this.modalConfirms;
    const content = option.editable ? (this.modalInputs.shift() ?? '') : undefined;
    setTimeout(() => option.success?.({ confirm, cancel: !confirm, ...(content === undefined ? {} : { content }), errMsg: 'showModal:ok' }), 0);
  }

  requestSubscribeMessage(option: SubscribeOption): void {
    this.subscribeRequests.push([...option.tmplIds]);
    const answers = this.subscribeAnswers;
    setTimeout(() => {
      if (answers === null) {
        option.fail?.({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 20004 });
        return;
      }
      const res: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
      for (const id of option.tmplIds) res[id] = answers[id] ?? 'reject';
      option.success?.(res);
    }, 0);
  }

  chooseMedia(option: {
    count?: number;
    sourceType?: string[];
    success?: (res: { tempFiles: { tempFilePath: string; size: number; fileType: string }[]; type: string; errMsg: string }) => void;
    fail?: (err: { errMsg: string }) => void;
  }): void {
    this.mediaRequests.push({ count: option.count ?? 9, sourceType: [...(option.sourceType ?? ['album', 'camera'])] });
    const answer = this.mediaAnswers.shift() ?? { errMsg: 'chooseMedia:fail cancel' };
    setTimeout(() => {
      if (Array.isArray(answer)) {
        const tempFiles = answer.map((tempFilePath) => ({ tempFilePath, size: 100, fileType: 'image' }));
        option.success?.({ tempFiles, type: 'image', errMsg: 'chooseMedia:ok' });
      } else {
        option.fail?.({ errMsg: answer.errMsg });
      }
    }, 0);
  }

  getLocation(option: {
    type?: string;
    success?: (res: { latitude: number; longitude: number; accuracy: number; errMsg: string }) => void;
    fail?: (err: { errMsg: string }) => void;
  }): void {
    this.locationRequests.push(option.type ?? 'wgs84');
    const answer = this.location;
    setTimeout(() => {
      if ('errMsg' in answer) option.fail?.({ errMsg: answer.errMsg });
      else option.success?.({ ...answer, accuracy: 30, errMsg: 'getLocation:ok' });
    }, 0);
  }

  showLoading(option: { title: string }): void {
    this.loadings.push(option.title);
    this.loadingShown += 1;
  }

  hideLoading(): void {
    this.loadingShown = Math.max(0, this.loadingShown - 1);
  }

  previewImage(option: { current?: string; urls: string[] }): void {
    this.previews.push({ current: option.current ?? '', urls: [...option.urls] });
  }

  openDocument(option: { filePath: string; fileType?: string; fail?: (err: { errMsg: string }) => void }): void {
    this.documents.push(option.filePath);
    this.documentTypes.push(option.fileType ?? '');
    if (this.openDocumentFails) setTimeout(() => option.fail?.({ errMsg: 'openDocument:fail filetype not supported' }), 0);
  }

  setClipboardData(option: { data: string; success?: (res: { errMsg: string }) => void }): void {
    this.clipboard.push(option.data);
    setTimeout(() => option.success?.({ errMsg: 'setClipboardData:ok' }), 0);
  }

  makePhoneCall(option: { phoneNumber: string }): void {
    this.phoneCalls.push(option.phoneNumber);
  }

  navigateTo(option: { url: string }): void {
    this.navigations.push(`navigateTo ${option.url}`);
  }

  redirectTo(option: { url: string }): void {
    this.navigations.push(`redirectTo ${option.url}`);
  }

  switchTab(option: { url: string }): void {
    this.navigations.push(`switchTab ${option.url}`);
  }

  navigateBack(option: { delta?: number } = {}): void {
    this.navigations.push(`navigateBack ${option.delta ?? 1}`);
  }

  stopPullDownRefresh(): void {}

  /** The listener given to `wx.onNeedPrivacyAuthorization`, and what each held call was resolved with. */
  privacyListener: ((resolve: (res: unknown) => void, eventInfo: { referrer: string }) => void) | null = null;
  readonly privacyResolutions: unknown[] = [];
  /** Times `wx.openPrivacyContract` was called. */
  privacyContractsOpened = 0;

  onNeedPrivacyAuthorization(listener: (resolve: (res: unknown) => void, eventInfo: { referrer: string }) => void): void {
    this.privacyListener = listener;
  }

  /** WeChat holding a call of `api` (e.g. `getLocation`) until the privacy authorization is resolved. */
  needPrivacy(api: string): void {
    if (!this.privacyListener) throw new Error('fake-wx: no onNeedPrivacyAuthorization listener');
    this.privacyListener((res) => this.privacyResolutions.push(res), { referrer: api });
  }

  openPrivacyContract(option: { success?: () => void; fail?: (err: { errMsg: string }) => void } = {}): void {
    this.privacyContractsOpened += 1;
    setTimeout(() => option.success?.(), 0);
  }

  /** Settings pages opened with `wx.openSetting`. */
  settingsOpened = 0;

  openSetting(): void {
    this.settingsOpened += 1;
  }

  /** The network as `wx.getNetworkType` reports it; `setNetwork` changes it and tells the listeners. */
  networkType = 'wifi';
  private readonly networkListeners: ((res: { isConnected: boolean; networkType: string }) => void)[] = [];

  getNetworkType(option: { success?: (res: { networkType: string }) => void }): void {
    const networkType = this.networkType;
    setTimeout(() => option.success?.({ networkType }), 0);
  }

  onNetworkStatusChange(listener: (res: { isConnected: boolean; networkType: string }) => void): void {
    this.networkListeners.push(listener);
  }

  setNetwork(networkType: string): void {
    this.networkType = networkType;
    for (const l of this.networkListeners) l({ isConnected: networkType !== 'none', networkType });
  }

  /** The tab-bar badges shown, by tab index. */
  readonly tabBadges = new Map<number, string>();

  setTabBarBadge(option: { index: number; text: string }): void {
    this.tabBadges.set(option.index, option.text);
  }

  removeTabBarBadge(option: { index: number }): void {
    this.tabBadges.delete(option.index);
  }

  /** Titles set with `wx.setNavigationBarTitle`. */
  readonly titles: string[] = [];

  setNavigationBarTitle(option: { title: string }): void {
    this.titles.push(option.title);
  }

  /**
   * What successive `wx.getGroupEnterInfo` calls answer: the group's encrypted data, or an error
   * to fail with (e.g. 40097 场景错误 outside a group); the last one answers every later call.
   */
  groupEnterInfos: ({ encryptedData: string; iv: string } | { errMsg: string; errCode: number })[] = [
    { errMsg: 'getGroupEnterInfo:fail scene error', errCode: 40097 },
  ];
  groupEnterInfoCalls = 0;

  getGroupEnterInfo(option: {
    success?: (res: { encryptedData: string; iv: string; cloudID: string; errMsg: string }) => void;
    fail?: (err: { errMsg: string; errCode: number }) => void;
  }): void {
    const answer = this.groupEnterInfos[Math.min(this.groupEnterInfoCalls, this.groupEnterInfos.length - 1)];
    this.groupEnterInfoCalls += 1;
    setTimeout(() => {
      if (answer && 'encryptedData' in answer) option.success?.({ ...answer, cloudID: '', errMsg: 'getGroupEnterInfo:ok' });
      else option.fail?.(answer ?? { errMsg: 'getGroupEnterInfo:fail', errCode: -1 });
    }, 0);
  }

  /** The options of each `wx.showShareMenu` call. */
  readonly shareMenus: { withShareTicket?: boolean; menus?: string[] }[] = [];

  showShareMenu(option: { withShareTicket?: boolean; menus?: string[] } = {}): void {
    this.shareMenus.push({ ...(option.withShareTicket === undefined ? {} : { withShareTicket: option.withShareTicket }), ...(option.menus ? { menus: [...option.menus] } : {}) });
  }
}

/** Puts a fresh fake in `globalThis.wx` and returns it. */
export function installFakeWx(): FakeWx {
  const fake = new FakeWx();
  Object.defineProperty(globalThis, 'wx', { value: fake, configurable: true, writable: true });
  return fake;
}

/** A `User` as the server sends it; override what the test cares about. */
export function userFixture(overrides: Partial<User> = {}): User {
  return {
    id: '1',
    nickname: '张三',
    phone: '138****5678',
    roles: [],
    enterprise: null,
    pendingBinding: null,
    createdAt: '2026-11-28T09:00:00+08:00',
    ...overrides,
  };
}

/** A `Demand` as the server sends it (a fresh submission); override what the test cares about. */
export function demandFixture(overrides: Partial<Demand> = {}): Demand {
  return {
    id: '42',
    number: 'SQ20261128-0007',
    kind: 'demand',
    environment: 'policy',
    channel: 'miniprogram',
    title: '申请稳岗补贴',
    content: '请问稳岗补贴如何申请？',
    anonymous: false,
    status: 'submitted',
    statusLabel: '已提交',
    enterprise: { id: '7', name: '青岛某某有限公司' },
    submitter: { id: '1', name: '张三' },
    callerPhone: null,
    unit: null,
    acceptDueAt: '2026-11-30T18:00:00+08:00',
    signDueAt: null,
    replyDueAt: null,
    acceptedAt: null,
    assignedAt: null,
    signedAt: null,
    repliedAt: null,
    closedAt: null,
    replyContent: null,
    rating: null,
    unreasonable: false,
    mergedInto: null,
    overdue: false,
    overdueKind: null,
    extensionPending: null,
    extensions: 0,
    returns: 0,
    reopenCount: 0,
    attachments: [],
    nextDeadline: null,
    version: 0,
    createdAt: '2026-11-28T09:30:00+08:00',
    updatedAt: '2026-11-28T09:30:00+08:00',
    ...overrides,
  };
}

/** A timeline event; override what the test cares about. */
export function eventFixture(overrides: Partial<DemandEvent> = {}): DemandEvent {
  return {
    id: '1',
    action: 'submit',
    actionLabel: '提交',
    fromStatus: null,
    toStatus: 'submitted',
    actorRole: 'enterprise',
    actorUnit: null,
    actorName: null,
    note: null,
    data: null,
    createdAt: '2026-11-28T09:30:00+08:00',
    ...overrides,
  };
}

/**
 * A checklist with one question of every type, skip logic and findings: the template of the
 * server's own form-engine tests (api/src/domain/form.rs), as an admin writes it.
 */
export function formTemplateFixture(): FormTemplate {
  return {
    sections: [
      {
        id: 's1',
        title: '窗口服务',
        description: '请如实记录现场情况',
        questions: [
          { id: 'queue', type: 'yes_no', title: '是否有叫号系统', required: true, environment: 'service', weight: 2, finding: { when: 'no' } },
          {
            id: 'why',
            type: 'text',
            title: '没有叫号系统时如何排队',
            required: true,
            showIf: { questionId: 'queue', equals: false },
            maxLength: 10,
            finding: { when: 'any_text' },
          },
          {
            id: 'attitude',
            type: 'rating',
            title: '工作人员态度',
            required: true,
            environment: 'service',
            finding: { when: 'rating_at_most', value: 2 },
          },
          {
            id: 'guide',
            type: 'single_choice',
            title: '办事指南是否清楚',
            required: false,
            environment: 'policy',
            options: [
              { value: 'clear', label: '清楚', score: 5 },
              { value: 'vague', label: '模糊', score: 2 },
              { value: 'none', label: '没有', score: 0 },
            ],
            finding: { when: 'option_in', values: ['none'] },
          },
          {
            id: 'channels',
            type: 'multiple_choice',
            title: '可用的办理渠道',
            required: false,
            maxSelected: 2,
            options: [
              { value: 'window', label: '窗口' },
              { value: 'online', label: '网上' },
              { value: 'app', label: '小程序' },
            ],
          },
          { id: 'wait', type: 'number', title: '等候时间', required: true, min: 0, max: 600, integer: true, unit: '分钟' },
          { id: 'photos', type: 'photo', title: '现场照片', required: true, minCount: 1, maxCount: 2, requireCaptureTime: true },
        ],
      },
    ],
  };
}

/** An event of the engagement programs (an open complaint day); override what the test cares about. */
export function engagementEventFixture(overrides: Partial<EngagementEvent> = {}): EngagementEvent {
  return {
    id: '5',
    kind: 'complaint_day',
    kindLabel: '企业家吐槽日',
    title: '政策服务吐槽日',
    theme: '政策服务',
    description: '说说政策落地中的堵点',
    opensAt: '2026-11-28T09:00:00+08:00',
    closesAt: '2026-11-28T18:00:00+08:00',
    status: 'open',
    statusLabel: '进行中',
    formId: null,
    publishedAt: '2026-11-20T10:00:00+08:00',
    ...overrides,
  };
}

/** A complaint on the wall (someone else's, no reply yet); override what the test cares about. */
export function complaintFixture(overrides: Partial<Complaint> = {}): Complaint {
  return {
    id: '31',
    content: '稳岗补贴申请材料太多',
    environment: 'policy',
    anonymous: false,
    enterpriseName: '青岛某某有限公司',
    photos: [],
    metooCount: 3,
    metooByMe: false,
    mine: false,
    hidden: false,
    hiddenReason: null,
    official: null,
    createdAt: '2026-11-28T10:05:00+08:00',
    ...overrides,
  };
}

/** A mystery-shopper assignment, not yet checked in; override what the test cares about. */
export function assignmentFixture(overrides: Partial<Assignment> = {}): Assignment {
  return {
    id: '71',
    eventId: '6',
    eventTitle: '神秘客暗访周',
    formId: '9',
    target: {
      id: '4',
      name: '市民中心税务窗口',
      unitId: '3',
      unitName: '青岛市税务局',
      address: '市南区某某路 1 号',
      latitude: 36.0671,
      longitude: 120.3826,
      radiusM: 300,
    },
    windowStart: '2026-11-28T09:00:00+08:00',
    windowEnd: '2026-11-28T17:00:00+08:00',
    checkedInAt: null,
    reportId: null,
    ...overrides,
  };
}

/** A supervision activity; override what the test cares about. */
export function activityFixture(overrides: Partial<SupervisionActivity> = {}): SupervisionActivity {
  return {
    id: '81',
    kind: 'visit',
    date: '2026-11-27',
    place: '崂山区某某园区',
    enterprises: [
      { id: '7', name: '青岛某某有限公司' },
      { id: '8', name: '海纳智能' },
    ],
    notes: '了解用工情况',
    photos: [],
    demandIds: [],
    createdAt: '2026-11-27T16:00:00+08:00',
    ...overrides,
  };
}

/** An enterprise as `GET /enterprises/{id}` sends it to a member; override what the test cares about. */
export function enterpriseFixture(overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    id: '7',
    name: '海纳智能科技有限公司',
    uscc: '91350100M000100Y43',
    industryCode: 'I6513',
    industryName: '应用软件开发',
    scale: 'small',
    registeredAt: '2018-05-20',
    qualifications: ['高新技术企业'],
    tags: ['人工智能', '工业软件'],
    district: '崂山区',
    serviceTier: 'general',
    butlerId: '3',
    inviteCode: null,
    needsCallback: false,
    createdAt: '2026-11-01T09:00:00+08:00',
    updatedAt: '2026-11-01T09:00:00+08:00',
    ...overrides,
  };
}

/** A token answer whose tokens carry `suffix`, so tests can tell sign-ins apart. */
export function tokensFixture(suffix: string, user: User = userFixture()): Reply {
  return {
    statusCode: 200,
    data: { accessToken: `access-${suffix}`, refreshToken: `refresh-${suffix}`, expiresIn: 900, user },
  };
}

/** An error answer in the server's shape. */
export function errorReply(statusCode: number, error: string, message: string, fields: unknown[] = []): Reply {
  return { statusCode, data: { error, message, fields } };
}

/** An open call-back task, not called yet, due on 2026-12-03; override what the test cares about. */
export function callbackTaskFixture(overrides: Partial<CallbackTask> = {}): CallbackTask {
  return {
    id: '61',
    enterpriseId: '7',
    enterpriseName: '海纳智能科技有限公司',
    butlerId: '3',
    dueOn: '2026-12-03',
    status: 'open',
    attempts: 0,
    answers: null,
    demandId: null,
    completedAt: null,
    ...overrides,
  };
}

/**
 * The call-back form as the server builds it (api/src/domain/callback.rs) for an enterprise with
 * two matched policies: the basics (yes/no, required, a no is a finding), the policies it knows,
 * and its needs (free text, optional; any text is a finding that becomes a demand).
 */
export function callbackTemplateFixture(): FormTemplate {
  const basic = (id: string, title: string) => ({ id, type: 'yes_no' as const, title, required: true, finding: { when: 'no' as const } });
  return {
    sections: [
      {
        id: 'basics',
        title: '开办情况',
        description: '了解企业开办后的基本事项是否已办妥',
        questions: [
          basic('bank_account', '银行账户是否已开立？'),
          basic('tax_setup', '税务登记与税种核定是否已完成？'),
          basic('invoices', '是否已能正常开具发票？'),
        ],
      },
      {
        id: 'policies',
        title: '政策知晓',
        description: null,
        questions: [
          {
            id: 'known_policies',
            type: 'multiple_choice',
            title: '企业已了解的政策',
            required: false,
            options: [
              { value: '12', label: '高新技术企业认定奖励', score: null },
              { value: '13', label: '首贷贴息', score: null },
            ],
          },
        ],
      },
      {
        id: 'needs',
        title: '企业需求',
        description: null,
        questions: [{ id: 'needs', type: 'text', title: '企业有哪些困难或需求？', required: false, maxLength: 2000, finding: { when: 'any_text' } }],
      },
    ],
  };
}

/** A media observation (a finding, not turned into a demand); override what the test cares about. */
export function observationFixture(overrides: Partial<Observation> = {}): Observation {
  return {
    id: '91',
    kind: 'finding',
    kindLabel: '问题发现',
    title: '政务大厅排队过长',
    content: '上午十点取号已排到 120 号，自助机两台停用。',
    eventId: null,
    fileIds: [],
    authorId: '5',
    authorName: '李记者',
    demandId: null,
    createdAt: '2026-11-28T10:30:00+08:00',
    ...overrides,
  };
}

/** A publicity item; override what the test cares about. */
export function publicityFixture(overrides: Partial<Publicity> = {}): Publicity {
  return {
    id: '95',
    outlet: '青岛日报',
    level: 'municipal',
    levelLabel: '市级',
    title: '我市开展企业家吐槽日活动',
    link: 'https://example.com/news/1',
    publishedOn: '2026-11-27',
    eventId: null,
    authorId: '5',
    createdAt: '2026-11-28T11:00:00+08:00',
    ...overrides,
  };
}

/** A weekly 「企业之声」 report; override what the test cares about. */
export function reportFixture(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    id: '201',
    kind: 'weekly',
    number: 3,
    title: '「企业之声」周报 第3期',
    periodFrom: '2026-11-23',
    periodTo: '2026-11-29',
    generatedAt: '2026-11-30T08:00:00+08:00',
    headline: { received: 42, completionRate: 0.857, satisfactionRate: 0.92, overdue: 2 },
    ...overrides,
  };
}

/** A unit of the league table (25 demands dispatched); override what the test cares about. */
export function unitRowFixture(overrides: Partial<UnitLeagueRow> = {}): UnitLeagueRow {
  return {
    unitId: '3',
    unitName: '青岛市税务局',
    dispatched: 25,
    responseRate: 1,
    completionSample: 24,
    completionRate: 0.88,
    replied: 20,
    onTimeRate: 0.8,
    satisfactionRate: 0.92,
    rated: 25,
    scorecardScore: 86.25,
    scorecardSamples: 12,
    mysteryScore: null,
    mysterySamples: 0,
    ranked: true,
    ...overrides,
  };
}

/** Demand figures as the dashboard and the stats send them; override what the test cares about. */
export function demandFiguresFixture(overrides: Record<string, number | null> = {}) {
  return {
    received: 40,
    accepted: 38,
    rejected: 1,
    dispatched: 36,
    closed: 30,
    replied: 32,
    rated: 20,
    satisfied: 18,
    unreasonable: 0,
    returns: 1,
    bouncedHours: 0,
    extensions: 0,
    overdue: 2,
    completionRate: 0.75,
    satisfactionRate: 0.9,
    onTimeRate: 0.8,
    responseRate: 1,
    ...overrides,
  };
}

/** Each dashboard panel's answer as the server sends it (`GET /dashboard/{name}`). */
export function dashboardPanelFixtures(): Record<'demands' | 'callbacks' | 'publicity' | 'plans' | 'policies' | 'programs' | 'units', unknown> {
  return {
    demands: {
      from: '2026-11-01',
      to: '2026-11-30',
      total: demandFiguresFixture(),
      byChannel: [],
      byEnvironment: [],
      byWeek: [{ weekStart: '2026-11-23', received: 12 }],
    },
    callbacks: { new: 20, calledBackInTime: 15, coverage: 0.75, reached: 16, refused: 1, unreachable: 1, open: 2, problemsFound: 6, demandsCreated: 4, awareness: 0.5 },
    publicity: { total: 3, byLevel: [{ level: 'municipal', label: '市级', count: 3 }], byMonth: [] },
    plans: { byStatus: { done: 2, inProgress: 1, overdue: 0, notStarted: 1 }, byUnit: [] },
    policies: { published: 10, reached: 8, read: 5, understood: 2 },
    programs: { events: 3, submissions: 40, complaints: 25, metoos: 7 },
    units: { from: '2026-11-01', to: '2026-11-30', minSample: 10, items: [unitRowFixture()] },
  };
}

/** A clue as its reporter follows it (just received, named); override what the test cares about. */
export function myClueFixture(overrides: Partial<MyClue> = {}): MyClue {
  return {
    id: '11',
    category: 'extortion',
    categoryLabel: '吃拿卡要',
    unitName: '青岛市税务局',
    content: '办理税务登记时窗口人员暗示需要请客吃饭才能加快办理。',
    anonymous: false,
    stage: '已收到，等待受理',
    closed: false,
    outcomeText: null,
    createdAt: '2026-11-28T09:30:00+08:00',
    closedAt: null,
    ...overrides,
  };
}

/** A published typical case (典型案例通报); override what the test cares about. */
export function clueCaseFixture(overrides: Partial<ClueCase> = {}): ClueCase {
  return {
    id: '3',
    title: '某局窗口工作人员吃拿卡要问题',
    body: '2026年10月，某局窗口工作人员在办理业务过程中，向企业暗示索要好处。经核查属实，给予其党内警告处分。',
    publishedAt: '2026-11-30T10:00:00+08:00',
    ...overrides,
  };
}

/** A 政策上门 visit to enterprise 7 by its butler (3); override what the test cares about. */
export function visitFixture(overrides: Partial<Visit> = {}): Visit {
  return {
    id: '81',
    enterpriseId: '7',
    butlerId: '3',
    kind: 'policy',
    kindLabel: '政策上门',
    visitedOn: '2026-11-20',
    peopleMet: '张总（总经理）',
    policyIds: [],
    demandIds: [],
    notes: null,
    createdAt: '2026-11-20T16:00:00+08:00',
    ...overrides,
  };
}

/** An enterprise of the due list (重点, visited on 2026-10-01, 3 days overdue); override what the test cares about. */
export function dueVisitFixture(overrides: Partial<DueVisit> = {}): DueVisit {
  return {
    enterpriseId: '7',
    enterpriseName: '海纳智能科技有限公司',
    serviceTier: 'key',
    serviceTierLabel: '重点',
    butlerId: '3',
    lastVisit: '2026-10-01',
    dueOn: '2026-10-31',
    daysOverdue: 3,
    ...overrides,
  };
}

/**
 * An inspection of enterprise 7 by two units (a joint one) on 2026-11-20, not rated by me;
 * override what the test cares about.
 */
export function inspectionFixture(overrides: Partial<Inspection> = {}): Inspection {
  return {
    id: '31',
    enterpriseId: '7',
    enterpriseName: '海纳智能科技有限公司',
    units: [
      { id: '4', name: '青岛市市场监督管理局' },
      { id: '5', name: '青岛市消防救援支队' },
    ],
    joint: true,
    inspectors: '王五（执法证号 37020001）、赵六（执法证号 37020002）',
    purpose: '食品经营许可现场核查',
    legalBasis: '《食品安全法》第八十七条',
    inspectedOn: '2026-11-20',
    ratedProper: 2,
    ratedImproper: 0,
    myRating: null,
    observers: [],
    createdAt: '2026-11-18T09:00:00+08:00',
    ...overrides,
  };
}

/** A published 轻微违法免罚 entry; override what the test cares about. */
export function leniencyFixture(overrides: Partial<LeniencyItem> = {}): LeniencyItem {
  return {
    id: '51',
    list: 'minor',
    listLabel: '轻微违法免罚',
    item: '未按规定公示营业执照',
    legalBasis: '《市场主体登记管理条例》第四十八条',
    conditions: '首次被发现且在责令期限内改正',
    unitId: '4',
    unitName: '青岛市市场监督管理局',
    published: true,
    ...overrides,
  };
}
