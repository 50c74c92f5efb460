/**
 * @jest-environment jsdom
 */
// Renders the real form-renderer component (its WXML, WXSS and TypeScript) with
// miniprogram-simulate, inside a host bound the way a page binds it; TDesign components are stubs
// that declare TDesign's real properties. The template is the one of the server's own form tests.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import type { FieldError, FormTemplate } from '../src/types/api';
import { formTemplateFixture, installFakeWx, type FakeWx } from './helpers/fake-wx';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
const fs = require('fs') as Fs;

const COMPONENT = `${__dirname}/../src/components/form-renderer/index`;
const AT = '2026-11-28T10:00:00+08:00';

type Rendered = ReturnType<typeof simulate.render>;

let rendererId: string;
let wxFake: FakeWx;

beforeAll(() => {
  const json = JSON.parse(fs.readFileSync(`${COMPONENT}.json`, 'utf8')) as { usingComponents: Record<string, string> };
  rendererId = simulate.load(COMPONENT, 'form-renderer', { compiler: 'simulate', usingComponents: tdesignStubs(json.usingComponents) });
});

beforeEach(() => {
  wxFake = installFakeWx();
});

interface HostData {
  template: FormTemplate;
  value: Record<string, unknown>;
  serverErrors: FieldError[];
  disabled: boolean;
  photoUrls: Record<string, string>;
}

interface Hosted {
  host: Rendered;
  form: Rendered;
  /** Every event the form emitted, as `[name, detail]`. */
  events: [string, unknown][];
  emitted(name: string): unknown[];
}

/** The form inside a host page, bound as a page binds it. */
function renderInHost(data: Partial<HostData> = {}): Hosted {
  const events: [string, unknown][] = [];
  const record = (name: string) =>
    function (e: WechatMiniprogram.CustomEvent) {
      events.push([name, e.detail]);
    };
  const hostId = simulate.load({
    template: `<form-renderer id="form" template="{{template}}" value="{{value}}" server-errors="{{serverErrors}}"
      disabled="{{disabled}}" photo-urls="{{photoUrls}}" bind:change="onChange" bind:submit="onSubmit"
      bind:invalid="onInvalid" bind:addphoto="onAddPhoto" bind:removephoto="onRemovePhoto" />`,
    usingComponents: { 'form-renderer': rendererId },
    data: { template: formTemplateFixture(), value: {}, serverErrors: [], disabled: false, photoUrls: {}, ...data },
    methods: {
      onChange: record('change'),
      onSubmit: record('submit'),
      onInvalid: record('invalid'),
      onAddPhoto: record('addphoto'),
      onRemovePhoto: record('removephoto'),
    },
  });
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  const form = host.querySelector('#form');
  if (!form) throw new Error('form-renderer not rendered');
  return { host, form, events, emitted: (name) => events.filter(([n]) => n === name).map(([, d]) => d) };
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

function text(node: Rendered | undefined): string {
  return node?.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Ids of the questions shown, in order. */
function shown(form: Rendered): string[] {
  return form.querySelectorAll('.question').map((q) => q.dom?.getAttribute('data-qid') ?? '');
}

/** The message under each question that has one, by question id. */
function fieldErrors(form: Rendered): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of shown(form)) {
    const message = form.querySelector(`#q-${id} .field-error`);
    if (message) out[id] = text(message);
  }
  return out;
}

async function answer(form: Rendered, id: string, value: unknown): Promise<void> {
  el(form, `#answer-${id}`).dispatchEvent('change', { detail: { value } });
  await simulate.sleep(0);
}

async function submit(form: Rendered): Promise<void> {
  el(form, '#submit').dispatchEvent('tap');
  await simulate.sleep(0);
}

async function tap(form: Rendered, selector: string): Promise<void> {
  el(form, selector).dispatchEvent('tap');
  await simulate.sleep(0);
}

describe('form-renderer', () => {
  it('renders the section and one control per question type, hiding the skipped question', () => {
    const { form } = renderInHost();

    expect(text(el(form, '.section__title'))).toBe('窗口服务');
    expect(text(el(form, '.section__description'))).toBe('请如实记录现场情况');
    // "why" waits for queue = no.
    expect(shown(form)).toEqual(['queue', 'attitude', 'guide', 'channels', 'wait', 'photos']);
    expect(text(el(form, '#q-queue .question__title'))).toBe('*是否有叫号系统');
    expect(text(el(form, '#q-guide .question__title'))).toBe('办事指南是否清楚');

    // yes_no and single_choice: radio groups.
    expect(el(form, '#answer-queue').dom?.tagName.toLowerCase()).toBe('t-radio-group');
    expect(props(form, '#answer-queue').options).toEqual([
      { value: 'yes', label: '是' },
      { value: 'no', label: '否' },
    ]);
    expect(props(form, '#answer-queue').value).toBe('');
    expect(props(form, '#answer-guide').options).toEqual([
      { value: 'clear', label: '清楚' },
      { value: 'vague', label: '模糊' },
      { value: 'none', label: '没有' },
    ]);
    // multiple_choice: a checkbox group that stops at maxSelected.
    expect(el(form, '#answer-channels').dom?.tagName.toLowerCase()).toBe('t-checkbox-group');
    expect(props(form, '#answer-channels').options).toEqual([
      { value: 'window', label: '窗口' },
      { value: 'online', label: '网上' },
      { value: 'app', label: '小程序' },
    ]);
    expect(props(form, '#answer-channels').max).toBe(2);
    expect(props(form, '#answer-channels').value).toEqual([]);
    expect(text(el(form, '#q-channels .question__hint'))).toBe('最多选择 2 项');
    // rating: five stars.
    expect(el(form, '#answer-attitude').dom?.tagName.toLowerCase()).toBe('t-rate');
    expect(props(form, '#answer-attitude').count).toBe(5);
    expect(props(form, '#answer-attitude').value).toBe(0);
    // number: a whole-number input with its unit as suffix.
    expect(el(form, '#answer-wait').dom?.tagName.toLowerCase()).toBe('t-input');
    expect(props(form, '#answer-wait').type).toBe('number');
    expect(props(form, '#answer-wait').suffix).toBe('分钟');
    expect(props(form, '#answer-wait').placeholder).toBe('请输入整数');
    // photo: no thumbnails yet, an add button, the limits.
    expect(form.querySelectorAll('#answer-photos .photo__image')).toHaveLength(0);
    expect(text(el(form, '#answer-photos .photo--add'))).toBe('添加照片');
    expect(text(el(form, '#q-photos .question__hint'))).toBe('请上传 1 到 2 张照片，须带拍摄时间');

    expect(el(form, '#submit')).toBeTruthy();
    expect(fieldErrors(form)).toEqual({});
  });

  it('renders the text question as a textarea with a counter once shown', async () => {
    const { form } = renderInHost();

    await answer(form, 'queue', 'no');

    expect(shown(form)).toEqual(['queue', 'why', 'attitude', 'guide', 'channels', 'wait', 'photos']);
    expect(el(form, '#answer-why').dom?.tagName.toLowerCase()).toBe('t-textarea');
    expect(props(form, '#answer-why').maxlength).toBe(10);
    expect(props(form, '#answer-why').indicator).toBe(true);
  });

  it('shows 此项为必填项 under each required question when submitted empty, and emits invalid', async () => {
    const { form, events, emitted } = renderInHost();

    await submit(form);

    expect(fieldErrors(form)).toEqual({
      queue: '此项为必填项',
      attitude: '此项为必填项',
      wait: '此项为必填项',
      photos: '此项为必填项',
    });
    expect(emitted('submit')).toEqual([]);
    expect(emitted('invalid')).toEqual([
      {
        errors: [
          { field: 'answers.queue', code: 'required', message: '此项为必填项' },
          { field: 'answers.attitude', code: 'required', message: '此项为必填项' },
          { field: 'answers.wait', code: 'required', message: '此项为必填项' },
          { field: 'answers.photos', code: 'required', message: '此项为必填项' },
        ],
      },
    ]);
    expect(events.map(([name]) => name)).toEqual(['invalid']);

    // Answering a question clears its message.
    await answer(form, 'attitude', 4);
    expect(Object.keys(fieldErrors(form))).toEqual(['queue', 'wait', 'photos']);
  });

  it('shows the other checks with the server\'s messages', async () => {
    const { form, emitted } = renderInHost();
    await answer(form, 'queue', 'no');
    await answer(form, 'why', '排队全靠自觉，经常有人插队');
    await answer(form, 'attitude', 3);
    await answer(form, 'wait', '700');

    await submit(form);

    expect(fieldErrors(form)).toEqual({
      why: '不能超过 10 个字',
      wait: '应在 0分钟 到 600分钟 之间',
      photos: '此项为必填项',
    });
    await answer(form, 'wait', '1.2.3');
    await submit(form);
    expect(fieldErrors(form).wait).toBe('请填写数字');
    expect(emitted('submit')).toEqual([]);
  });

  it('emits submit with the exact answers and findings of a valid fill', async () => {
    const { host, form, emitted } = renderInHost();

    await answer(form, 'queue', 'no');
    await answer(form, 'why', '  靠自觉  ');
    await answer(form, 'attitude', 2);
    await answer(form, 'guide', 'none');
    await answer(form, 'channels', ['window', 'app']);
    await answer(form, 'wait', '15');
    // Photos: the form asks, the page picks and uploads, then hands the answers back.
    await tap(form, '#answer-photos .photo--add');
    expect(emitted('addphoto')).toEqual([{ questionId: 'photos' }]);
    const last = emitted('change').slice(-1)[0] as { answers: Record<string, unknown> };
    host.setData({
      value: { ...last.answers, photos: [{ fileId: '31', capturedAt: AT }] },
      photoUrls: { '31': 'wxfile://tmp/31.jpg' },
    });
    await simulate.sleep(0);
    // The thumbnail shows the page's local path (simulate keeps no `src`: tapping previews it).
    expect(form.querySelectorAll('#answer-photos .photo__image')).toHaveLength(1);
    await tap(form, '#answer-photos .photo__image');
    expect(wxFake.previews).toEqual([{ current: 'wxfile://tmp/31.jpg', urls: ['wxfile://tmp/31.jpg'] }]);
    expect(text(el(form, '#answer-photos .photo__time'))).toBe('2026-11-28 10:00');

    await submit(form);

    expect(fieldErrors(form)).toEqual({});
    expect(emitted('invalid')).toEqual([]);
    expect(emitted('submit')).toEqual([
      {
        answers: {
          queue: false,
          why: '靠自觉',
          attitude: 2,
          guide: 'none',
          channels: ['window', 'app'],
          wait: 15,
          photos: [{ fileId: '31', capturedAt: AT }],
        },
        findings: ['queue', 'why', 'attitude', 'guide'],
      },
    ]);
  });

  it('emits change with the answers held on every edit', async () => {
    const { host, form, emitted } = renderInHost();

    await answer(form, 'queue', 'yes');
    await answer(form, 'wait', '1.');
    await answer(form, 'channels', ['online']);
    await answer(form, 'channels', []);

    expect(emitted('change')).toEqual([
      { answers: { queue: true } },
      { answers: { queue: true, wait: 1 } },
      { answers: { queue: true, wait: 1, channels: ['online'] } },
      { answers: { queue: true, wait: 1 } },
    ]);
    // The input keeps what was typed, also when the page echoes the answers back through value.
    expect(props(form, '#answer-wait').value).toBe('1.');
    host.setData({ value: { queue: true, wait: 1 } });
    await simulate.sleep(0);
    expect(props(form, '#answer-wait').value).toBe('1.');
    host.setData({ value: { queue: true, wait: 8 } });
    await simulate.sleep(0);
    expect(props(form, '#answer-wait').value).toBe('8');
    // Setting value is not an edit: no change event.
    expect(emitted('change')).toHaveLength(4);
  });

  it('keeps the answers given before the template arrives', async () => {
    const { host, form, emitted } = renderInHost({ template: { sections: [] }, value: { queue: false, why: '靠自觉', wait: 5 } });
    expect(shown(form)).toEqual([]);

    host.setData({ template: formTemplateFixture() });
    await simulate.sleep(0);

    expect(shown(form)).toContain('why');
    expect(props(form, '#answer-why').value).toBe('靠自觉');
    expect(props(form, '#answer-wait').value).toBe('5');
    expect(emitted('change')).toEqual([]);
  });

  it('hides and shows a question by skip logic, dropping the hidden answer', async () => {
    const { form, emitted } = renderInHost();

    await answer(form, 'queue', 'no');
    expect(shown(form)).toContain('why');
    await answer(form, 'why', '靠自觉');
    expect(props(form, '#answer-why').value).toBe('靠自觉');

    await answer(form, 'queue', 'yes');
    expect(shown(form)).not.toContain('why');
    expect(emitted('change').slice(-1)).toEqual([{ answers: { queue: true } }]);

    // Shown again, it starts empty and is required.
    await answer(form, 'queue', 'no');
    expect(props(form, '#answer-why').value).toBe('');
    await submit(form);
    expect(fieldErrors(form).why).toBe('此项为必填项');
  });

  it('starts from value, leaving out answers of hidden questions', async () => {
    const { form, emitted } = renderInHost({
      value: { queue: true, why: '不该出现', attitude: 5, guide: 'clear', wait: 3, photos: [{ fileId: '1', capturedAt: AT }] },
    });

    expect(shown(form)).not.toContain('why');
    expect(props(form, '#answer-queue').value).toBe('yes');
    expect(props(form, '#answer-attitude').value).toBe(5);
    expect(props(form, '#answer-guide').value).toBe('clear');
    expect(props(form, '#answer-wait').value).toBe('3');
    // A photo without a local path shows a placeholder.
    expect(text(el(form, '#answer-photos .photo__placeholder'))).toBe('照片 1');

    await submit(form);
    expect(emitted('submit')).toEqual([
      {
        answers: { queue: true, attitude: 5, guide: 'clear', wait: 3, photos: [{ fileId: '1', capturedAt: AT }] },
        findings: [],
      },
    ]);
  });

  it('removes a photo, telling the page, and stops offering more at maxCount', async () => {
    const photos = [
      { fileId: '1', capturedAt: AT },
      { fileId: '2', capturedAt: AT },
    ];
    const { form, emitted } = renderInHost({ value: { photos }, photoUrls: { '1': 'wxfile://1.jpg', '2': 'wxfile://2.jpg' } });
    expect(form.querySelectorAll('#answer-photos .photo__image')).toHaveLength(2);
    expect(form.querySelector('#answer-photos .photo--add')).toBeUndefined();

    await tap(form, '#answer-photos .photo__image');
    expect(wxFake.previews).toEqual([{ current: 'wxfile://1.jpg', urls: ['wxfile://1.jpg', 'wxfile://2.jpg'] }]);

    await tap(form, '#answer-photos .photo__remove');

    expect(emitted('removephoto')).toEqual([{ questionId: 'photos', index: 0 }]);
    expect(emitted('change')).toEqual([{ answers: { photos: [{ fileId: '2', capturedAt: AT }] } }]);
    expect(form.querySelectorAll('#answer-photos .photo__image')).toHaveLength(1);
    expect(form.querySelector('#answer-photos .photo--add')).toBeTruthy();
  });

  it('shows the server\'s errors next to the right question, and the others below', async () => {
    const { host, form } = renderInHost();

    host.setData({
      serverErrors: [
        { field: 'answers.wait', code: 'out_of_range', message: '应在 0分钟 到 600分钟 之间' },
        { field: 'answers.photos', code: 'capture_time_required', message: '照片须带拍摄时间' },
        { field: 'taskId', code: 'closed', message: '任务已结束' },
      ],
    });
    await simulate.sleep(0);

    expect(fieldErrors(form)).toEqual({ wait: '应在 0分钟 到 600分钟 之间', photos: '照片须带拍摄时间' });
    expect(form.querySelectorAll('.form-error').map(text)).toEqual(['任务已结束']);

    // Editing the question clears the server's message there.
    await answer(form, 'wait', '20');
    expect(fieldErrors(form)).toEqual({ photos: '照片须带拍摄时间' });
  });

  it('shows a submitted form read-only', async () => {
    const { form, events } = renderInHost({
      disabled: true,
      value: { queue: false, why: '靠自觉', attitude: 2, wait: 15, photos: [{ fileId: '1', capturedAt: AT }] },
      photoUrls: { '1': 'wxfile://1.jpg' },
    });

    expect(shown(form)).toEqual(['queue', 'why', 'attitude', 'guide', 'channels', 'wait', 'photos']);
    for (const id of ['queue', 'why', 'attitude', 'guide', 'channels', 'wait']) {
      expect(`${id}: ${String(props(form, `#answer-${id}`).disabled)}`).toBe(`${id}: true`);
    }
    expect(props(form, '#answer-why').value).toBe('靠自觉');
    expect(form.querySelector('#submit')).toBeUndefined();
    expect(form.querySelector('.photo--add')).toBeUndefined();
    expect(form.querySelector('.photo__remove')).toBeUndefined();

    await answer(form, 'attitude', 5);
    expect(events).toEqual([]);
  });
});
