/**
 * @jest-environment jsdom
 */
// Renders the real demand-form component (its WXML, WXSS and TypeScript) with miniprogram-simulate;
// TDesign components are stubs that declare TDesign's real properties. Photos are uploaded through
// the real services and request module to the fake `wx`.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
const fs = require('fs') as Fs;

const COMPONENT = `${__dirname}/../src/subpackages/demand/components/demand-form/index`;

type Rendered = ReturnType<typeof simulate.render>;

let formId: string;
let wxFake: FakeWx;

beforeAll(() => {
  const json = JSON.parse(fs.readFileSync(`${COMPONENT}.json`, 'utf8')) as { usingComponents: Record<string, string> };
  formId = simulate.load(COMPONENT, 'demand-form', { compiler: 'simulate', usingComponents: tdesignStubs(json.usingComponents) });
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  let n = 10;
  wxFake.on('POST /files', () => {
    n += 1;
    return { statusCode: 201, data: { id: String(n), contentType: 'image/jpeg', size: 100, createdAt: '2026-11-28T09:00:00+08:00' } };
  });
});

/** The form inside a host page bound the way the submit page binds it. */
function renderInHost(): { host: Rendered; form: Rendered; submitted: unknown[] } {
  const submitted: unknown[] = [];
  const hostId = simulate.load({
    template: '<demand-form id="form" server-errors="{{errors}}" form-error="{{formError}}" bind:submit="onSubmit" />',
    usingComponents: { 'demand-form': formId },
    data: { errors: {}, formError: '' },
    methods: {
      onSubmit(e: WechatMiniprogram.CustomEvent) {
        submitted.push(e.detail);
      },
    },
  });
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  const form = host.querySelector('#form');
  if (!form) throw new Error('demand-form not rendered');
  return { host, form, submitted };
}

function el(form: Rendered, selector: string): Rendered {
  const found = form.querySelector(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

/** What our WXML passed to a (stubbed) TDesign component. */
function props(form: Rendered, selector: string): Record<string, unknown> {
  return el(form, selector).data as Record<string, unknown>;
}

function texts(form: Rendered, selector: string): string[] {
  return form.querySelectorAll(selector).map((n) => n.dom?.textContent?.trim() ?? '');
}

async function change(form: Rendered, selector: string, detail: unknown): Promise<void> {
  el(form, selector).dispatchEvent('change', { detail });
  await simulate.sleep(0);
}

async function fill(form: Rendered, values: { title?: string; content?: string; environment?: string }): Promise<void> {
  if (values.environment !== undefined) {
    el(form, '#environment').dispatchEvent('click');
    await simulate.sleep(0);
    el(form, '#environment-picker').dispatchEvent('confirm', { detail: { value: [values.environment], label: ['x'] } });
  }
  if (values.title !== undefined) await change(form, '#title', { value: values.title });
  if (values.content !== undefined) await change(form, '#content', { value: values.content });
  await simulate.sleep(0);
}

async function submit(form: Rendered): Promise<void> {
  el(form, '#submit').dispatchEvent('tap');
  await simulate.sleep(0);
}

describe('demand-form', () => {
  it('renders the kinds, the six environments, the limits and the anonymity explanation', () => {
    const { form } = renderInHost();

    const kinds = props(form, '#kind');
    expect(kinds.value).toBe('demand');
    expect(kinds.options).toEqual([
      { value: 'demand', label: '企业诉求' },
      { value: 'problem', label: '营商环境问题' },
      { value: 'suggestion', label: '意见建议' },
    ]);
    expect(props(form, '#environment').note).toBe('请选择');
    expect(props(form, '#environment-options').options).toEqual([
      { value: 'policy', label: '政策环境' },
      { value: 'service', label: '服务环境' },
      { value: 'factor', label: '要素环境' },
      { value: 'market', label: '市场环境' },
      { value: 'legal', label: '法治环境' },
      { value: 'humanistic', label: '人文环境' },
    ]);
    expect(props(form, '#title').maxlength).toBe(50);
    expect(props(form, '#content').maxlength).toBe(2000);
    expect(props(form, '#photos').max).toBe(9);
    expect(props(form, '#photos').mediaType).toEqual(['image']);
    expect(props(form, '#anonymous-cell').description).toBe('匿名后承办单位看不到您和企业的信息');
    expect(props(form, '#anonymous').value).toBe(false);
    expect(texts(form, '.field-error')).toEqual([]);
  });

  it('checks the fields itself and emits nothing while they are wrong', async () => {
    const { form, submitted } = renderInHost();

    await submit(form);

    expect(props(form, '#title').tips).toBe('请填写标题');
    expect(props(form, '#title').status).toBe('error');
    expect(texts(form, '.field-error')).toEqual(['请选择所属环境', '请填写诉求内容']);
    expect(submitted).toEqual([]);

    await fill(form, { environment: 'policy', title: '标题', content: '长'.repeat(2001) });
    // Editing a field clears its message.
    expect(props(form, '#title').tips).toBe('');
    await submit(form);

    expect(texts(form, '.field-error')).toEqual(['内容不能超过 2000 个字']);
    expect(submitted).toEqual([]);
    expect(wxFake.sent).toEqual([]);
  });

  it('uploads the picked photos and emits submit with the body of POST /demands', async () => {
    const { form, submitted } = renderInHost();

    await change(form, '#kind', { value: 'problem' });
    await fill(form, { environment: 'market', title: '  招标门槛过高  ', content: '某项目要求注册资本过亿' });
    await change(form, '#anonymous', { value: true });
    el(form, '#photos').dispatchEvent('add', {
      detail: { files: [{ url: 'wxfile://tmp/a.jpg', name: 'a.jpg' }, { url: 'wxfile://tmp/b.jpg', name: 'b.jpg' }] },
    });
    await simulate.sleep(10);

    expect(props(form, '#environment').note).toBe('市场环境');
    const uploads = wxFake.calls('POST /files');
    expect(uploads.map((u) => [u.via, u.filePath, u.name])).toEqual([
      ['uploadFile', 'wxfile://tmp/a.jpg', 'file'],
      ['uploadFile', 'wxfile://tmp/b.jpg', 'file'],
    ]);
    expect((props(form, '#photos').files as { status: string }[]).map((f) => f.status)).toEqual(['done', 'done']);

    await submit(form);

    expect(submitted).toEqual([
      {
        kind: 'problem',
        environment: 'market',
        title: '招标门槛过高',
        content: '某项目要求注册资本过亿',
        anonymous: true,
        attachments: ['11', '12'],
      },
    ]);
    // The form only emits: sending the demand is the page's job.
    expect(wxFake.calls('POST /demands')).toEqual([]);
  });

  it('leaves out removed photos and sends no attachments without photos', async () => {
    const { form, submitted } = renderInHost();
    await fill(form, { environment: 'legal', title: '标题', content: '内容' });
    el(form, '#photos').dispatchEvent('add', { detail: { files: [{ url: 'wxfile://tmp/a.jpg' }, { url: 'wxfile://tmp/b.jpg' }] } });
    await simulate.sleep(10);

    el(form, '#photos').dispatchEvent('remove', { detail: { index: 0 } });
    await simulate.sleep(0);
    await submit(form);
    el(form, '#photos').dispatchEvent('remove', { detail: { index: 0 } });
    await simulate.sleep(0);
    await submit(form);

    expect(submitted).toEqual([
      { kind: 'demand', environment: 'legal', title: '标题', content: '内容', anonymous: false, attachments: ['12'] },
      { kind: 'demand', environment: 'legal', title: '标题', content: '内容', anonymous: false },
    ]);
  });

  it('waits for uploads, and offers to retry a failed one', async () => {
    const { form, submitted } = renderInHost();
    await fill(form, { environment: 'policy', title: '标题', content: '内容' });
    let fail = true;
    wxFake.on('POST /files', () =>
      fail
        ? errorReply(422, 'unsupported_type', '仅支持图片或 PDF')
        : { statusCode: 201, data: { id: '30', contentType: 'image/png', size: 1, createdAt: '2026-11-28T09:00:00+08:00' } },
    );

    el(form, '#photos').dispatchEvent('add', { detail: { files: [{ url: 'wxfile://tmp/c.png' }] } });
    await submit(form); // before the upload has answered
    expect(texts(form, '.field-error')).toEqual(['图片上传中，请稍候']);

    await simulate.sleep(10);
    expect(wxFake.toasts).toEqual(['仅支持图片或 PDF']);
    await submit(form);
    expect(texts(form, '.field-error')).toEqual(['有图片上传失败，请点击重试或删除']);
    expect(submitted).toEqual([]);

    fail = false;
    el(form, '#photos').dispatchEvent('click', { detail: { index: 0, file: {} } });
    await simulate.sleep(10);
    await submit(form);

    expect(wxFake.calls('POST /files')).toHaveLength(2);
    expect(submitted).toEqual([
      { kind: 'demand', environment: 'policy', title: '标题', content: '内容', anonymous: false, attachments: ['30'] },
    ]);
  });

  it('shows the server\'s field errors next to the fields and the form error below', async () => {
    const { host, form } = renderInHost();

    host.setData({ errors: { title: '标题含有不当信息', content: '内容含有不当信息' }, formError: '请稍后重试' });
    await simulate.sleep(0);

    expect(props(form, '#title').tips).toBe('标题含有不当信息');
    expect(texts(form, '.field-error')).toEqual(['内容含有不当信息']);
    expect(texts(form, '.form-error')).toEqual(['请稍后重试']);
  });
});

describe('demand-form as a draft', () => {
  function renderDraftHost(draft: unknown): { form: Rendered; changes: unknown[] } {
    const changes: unknown[] = [];
    const hostId = simulate.load({
      template: '<demand-form id="form" draft="{{draft}}" bind:change="onChange" />',
      usingComponents: { 'demand-form': formId },
      data: { draft },
      methods: {
        onChange(e: WechatMiniprogram.CustomEvent) {
          changes.push(e.detail);
        },
      },
    });
    const host = simulate.render(hostId);
    host.attach(document.createElement('parent-wrapper'));
    const form = host.querySelector('#form');
    if (!form) throw new Error('demand-form not rendered');
    return { form, changes };
  }

  it('emits change with what it holds as the person types (the page saves it)', async () => {
    const { form, changes } = renderDraftHost(null);
    await change(form, '#title', { value: '申请稳岗补贴' });
    await change(form, '#content', { value: '请问如何申请' });
    // simulate lets a stub's own `change` bubble out too (TDesign's does not): keep the form's.
    const own = changes.filter((c) => typeof c === 'object' && c !== null && 'kind' in c);
    expect(own).toHaveLength(2);
    expect(own[1]).toEqual({ kind: 'demand', environment: '', title: '申请稳岗补贴', content: '请问如何申请', anonymous: false, photos: [] });
  });

  it('starts from a saved draft, photos included', async () => {
    const { form } = renderDraftHost({
      kind: 'problem',
      environment: 'service',
      title: '窗口排队久',
      content: '上午排队两小时',
      anonymous: true,
      photos: [{ url: 'wxfile://tmp/a.jpg', fileId: '11' }],
    });
    await simulate.sleep(0);
    expect(props(form, '#title').value).toBe('窗口排队久');
    expect(props(form, '#content').value).toBe('上午排队两小时');
    expect((form.data as { environmentText: string }).environmentText).toBe('服务环境');
    expect((form.data as { photos: { fileId: string; status: string }[] }).photos).toEqual([
      { url: 'wxfile://tmp/a.jpg', name: '', type: 'image', status: 'done', fileId: '11' },
    ]);
  });
});
