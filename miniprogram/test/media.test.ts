// The media pages' rules (utils/media.ts): the observation and publicity forms' options, their
// checks in the server's limits (characters of the trimmed text), the bodies sent, and the rows.
import { describe, expect, it } from '@jest/globals';

import {
  OBSERVATION_KIND_OPTIONS,
  PUBLICITY_LEVEL_OPTIONS,
  observationKindLabel,
  observationRequest,
  observationView,
  staffObservationView,
  publicityLevelLabel,
  publicityRequest,
  publicityView,
  validateObservation,
  validatePublicity,
} from '../src/utils/media';
import { observationFixture, publicityFixture } from './helpers/fake-wx';

describe('the observation form', () => {
  it('offers the three kinds with their labels', () => {
    expect(OBSERVATION_KIND_OPTIONS.map((o) => [o.value, o.label])).toEqual([
      ['finding', '问题发现'],
      ['lead', '报道线索'],
      ['comment', '评论建议'],
    ]);
    expect(observationKindLabel('lead')).toBe('报道线索');
    expect(observationKindLabel('other')).toBe('other');
  });

  it('asks for a kind, a title and the content', () => {
    expect(validateObservation({ kind: '', title: '  ', content: '\n' })).toEqual({
      kind: '请选择类型',
      title: '请填写标题',
      content: '请填写内容',
    });
  });

  it('takes 60 characters of title and 2000 of content, counted as the server counts them', () => {
    // 𠮷 is one character but two UTF-16 units: counted once, as the server does.
    expect(validateObservation({ kind: 'finding', title: '𠮷'.repeat(60), content: '问'.repeat(2000) })).toEqual({});
    expect(validateObservation({ kind: 'lead', title: ` ${'标'.repeat(60)} `, content: ' x ' })).toEqual({});
    expect(validateObservation({ kind: 'comment', title: '标'.repeat(61), content: '问'.repeat(2001) })).toEqual({
      title: '标题不能超过 60 个字',
      content: '内容不能超过 2000 个字',
    });
  });

  it('builds the body of POST /media/observations, trimmed, with the event when there is one', () => {
    expect(observationRequest({ kind: 'finding', title: ' 排队过长 ', content: ' 取号 120 \n' })).toEqual({
      kind: 'finding',
      title: '排队过长',
      content: '取号 120',
    });
    expect(observationRequest({ kind: 'lead', title: 'a', content: 'b' }, '5')).toEqual({ kind: 'lead', title: 'a', content: 'b', eventId: '5' });
  });

  it('shows a row: kind, author and time, and the demand it became', () => {
    expect(observationView(observationFixture())).toEqual({
      id: '91',
      kindLabel: '问题发现',
      kindTheme: 'danger',
      title: '政务大厅排队过长',
      content: '上午十点取号已排到 120 号，自助机两台停用。',
      meta: '李记者 · 2026-11-28 10:30',
      demandId: '',
    });
    const converted = observationView(observationFixture({ kind: 'comment', authorName: null, demandId: '301' }));
    expect([converted.kindLabel, converted.kindTheme, converted.meta, converted.demandId]).toEqual(['评论建议', 'default', '2026-11-28 10:30', '301']);
  });

  it('offers 转为诉求 to staff on a finding without a demand only', () => {
    expect(staffObservationView(observationFixture())).toEqual({ ...observationView(observationFixture()), convertible: true });
    expect(staffObservationView(observationFixture({ demandId: '301' })).convertible).toBe(false);
    expect(staffObservationView(observationFixture({ kind: 'lead' })).convertible).toBe(false);
    expect(staffObservationView(observationFixture({ kind: 'comment' })).convertible).toBe(false);
  });
});

describe('the publicity form', () => {
  const valid = { outlet: ' 青岛日报 ', level: 'municipal' as const, title: ' 吐槽日活动 ', link: '', publishedOn: '2026-11-27' };

  it('offers the five levels with their labels', () => {
    expect(PUBLICITY_LEVEL_OPTIONS.map((o) => o.label)).toEqual(['国家级', '省级', '市级', '网络媒体', '自有渠道']);
    expect(publicityLevelLabel('own')).toBe('自有渠道');
  });

  it('asks for the outlet, level, title and date; the link is optional', () => {
    expect(validatePublicity({ outlet: '', level: '', title: ' ', link: '', publishedOn: '' })).toEqual({
      outlet: '请填写媒体名称',
      level: '请选择媒体级别',
      title: '请填写稿件标题',
      publishedOn: '请选择发布日期',
    });
    expect(validatePublicity(valid)).toEqual({});
  });

  it('takes 60 characters of outlet and 100 of title', () => {
    expect(validatePublicity({ ...valid, outlet: '媒'.repeat(60), title: '题'.repeat(100) })).toEqual({});
    expect(validatePublicity({ ...valid, outlet: '媒'.repeat(61), title: '题'.repeat(101) })).toEqual({
      outlet: '媒体名称不能超过 60 个字',
      title: '稿件标题不能超过 100 个字',
    });
  });

  it('takes only an https link', () => {
    for (const link of ['https://example.com', ' https://news.example.com/a?b=1 ', 'HTTPS://EXAMPLE.COM/x']) {
      expect(validatePublicity({ ...valid, link })).toEqual({});
    }
    for (const link of ['http://example.com', 'example.com', 'https://', 'https://exa mple.com', 'ftp://x']) {
      expect(validatePublicity({ ...valid, link })).toEqual({ link: '链接须以 https:// 开头' });
    }
  });

  it('builds the body of POST /media/publicity, trimmed, the link only when given', () => {
    expect(publicityRequest(valid)).toEqual({ outlet: '青岛日报', level: 'municipal', title: '吐槽日活动', publishedOn: '2026-11-27' });
    expect(publicityRequest({ ...valid, link: ' https://example.com/1 ' }).link).toBe('https://example.com/1');
  });

  it('shows a row with the level in words', () => {
    expect(publicityView(publicityFixture())).toEqual({
      id: '95',
      outlet: '青岛日报',
      levelLabel: '市级',
      title: '我市开展企业家吐槽日活动',
      link: 'https://example.com/news/1',
      publishedOn: '2026-11-27',
    });
    expect(publicityView(publicityFixture({ link: null })).link).toBe('');
  });
});
