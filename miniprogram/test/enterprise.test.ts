// The enterprise profile's pure rules: labels, the server's checks and messages, and the patch
// of the changed fields only.
import { describe, expect, it } from '@jest/globals';

import {
  LABELS_MESSAGE,
  QUALIFICATION_SUGGESTIONS,
  SCALE_OPTIONS,
  addLabel,
  cleanLabels,
  districtError,
  hasProfileErrors,
  industryText,
  isEmptyPatch,
  noProfileErrors,
  openSuggestions,
  profileDraft,
  profilePatch,
  removeLabel,
  validateProfile,
} from '../src/subpackages/me/utils/enterprise';
import { enterpriseFixture } from './helpers/fake-wx';

const many = (n: number, prefix = '标签') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('labels', () => {
  it('offers the four scales and the five common qualifications', () => {
    expect(SCALE_OPTIONS.map((o) => `${o.value}:${o.label}`)).toEqual(['micro:微型', 'small:小型', 'medium:中型', 'large:大型']);
    expect(QUALIFICATION_SUGGESTIONS).toEqual(['高新技术企业', '专精特新', '科技型中小企业', '创新型中小企业', '专精特新“小巨人”']);
    expect(openSuggestions(['专精特新', '其他'])).toEqual(['高新技术企业', '科技型中小企业', '创新型中小企业', '专精特新“小巨人”']);
  });

  it('adds a trimmed label, and refuses blank, long, repeated and the 21st', () => {
    expect(addLabel(['a'], '  人工智能 ')).toEqual({ ok: true, list: ['a', '人工智能'] });
    expect(addLabel([], ' \t')).toEqual({ ok: false, message: '请输入内容' });
    // 30 characters pass (counted as characters, not UTF-16 units); 31 do not.
    expect(addLabel([], '字'.repeat(29) + '𠀋').ok).toBe(true);
    expect(addLabel([], '字'.repeat(31))).toEqual({ ok: false, message: '每项不超过 30 个字' });
    expect(addLabel(['人工智能'], '人工智能')).toEqual({ ok: false, message: '「人工智能」已添加' });
    expect(addLabel(many(19), '第二十').ok).toBe(true);
    expect(addLabel(many(20), '第二十一')).toEqual({ ok: false, message: '最多 20 项' });
  });

  it('removes by index and cleans as the server does', () => {
    expect(removeLabel(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(removeLabel(['a'], 5)).toEqual(['a']);
    expect(cleanLabels([' a ', '', 'b', 'a', '  '])).toEqual(['a', 'b']);
  });

  it('shows the industry as code and name', () => {
    expect(industryText('I6513', '应用软件开发')).toBe('I6513 应用软件开发');
    expect(industryText('I6513', null)).toBe('I6513');
    expect(industryText('', null)).toBe('未设置');
  });
});

describe('validateProfile', () => {
  it('passes the profile as loaded', () => {
    const errors = validateProfile(profileDraft(enterpriseFixture()));
    expect(errors).toEqual(noProfileErrors());
    expect(hasProfileErrors(errors)).toBe(false);
  });

  it('makes the server\'s checks with its messages', () => {
    const draft = {
      ...profileDraft(enterpriseFixture()),
      industryCode: ' ',
      qualifications: many(21, '资质'),
      tags: ['字'.repeat(31)],
      district: '区'.repeat(51),
    };
    expect(validateProfile(draft)).toEqual({
      industryCode: '请选择所属行业',
      scale: '',
      qualifications: LABELS_MESSAGE,
      tags: LABELS_MESSAGE,
      district: '不能超过 50 个字',
    });
    expect(LABELS_MESSAGE).toBe('最多 20 项，每项不超过 30 个字');
    // Counted after cleaning, as the server does: repeats and blanks do not count.
    expect(validateProfile({ ...draft, industryCode: 'I6513', qualifications: [...many(20), '标签1', ' '], tags: [], district: '' })).toEqual(
      noProfileErrors(),
    );
    expect(districtError(` ${'区'.repeat(50)} `)).toBe('');
  });
});

describe('profilePatch', () => {
  const original = enterpriseFixture();

  it('is empty when nothing changed, or only white space did', () => {
    const draft = { ...profileDraft(original), tags: [' 人工智能', '工业软件 '], district: ' 崂山区 ' };
    expect(profilePatch(original, draft)).toEqual({});
    expect(isEmptyPatch(profilePatch(original, draft))).toBe(true);
  });

  it('holds only the changed fields, labels cleaned, an emptied district as ""', () => {
    const draft = {
      ...profileDraft(original),
      scale: 'medium' as const,
      qualifications: ['高新技术企业', '专精特新'],
      district: '  ',
    };
    expect(profilePatch(original, draft)).toEqual({ scale: 'medium', qualifications: ['高新技术企业', '专精特新'], district: '' });
    expect(profilePatch(original, { ...profileDraft(original), industryCode: 'I6511', tags: ['工业软件', '人工智能'] })).toEqual({
      industryCode: 'I6511',
      // The order is the enterprise's: a reorder is a change.
      tags: ['工业软件', '人工智能'],
    });
    expect(profilePatch(enterpriseFixture({ district: null }), { ...profileDraft(original), district: '市南区' })).toEqual({
      district: '市南区',
    });
  });
});
