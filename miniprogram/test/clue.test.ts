// The rules behind the clue pages, pure (no page, no `wx`): the report form's checks in the
// server's limits, the body sent, the rows of 我反映的线索 and 典型案例通报, and the demand
// detail's 移送纪检监察 sheet.
import { describe, expect, it } from '@jest/globals';

import {
  CLUE_FIELDS,
  caseView,
  clueReportRequest,
  contentCount,
  myClueView,
  validateClueForm,
  type ClueFormValues,
} from '../src/subpackages/clue/utils/clue';
import { canRefer, checkSheet } from '../src/subpackages/demand/utils/demand';
import { CLUE_CATEGORY_OPTIONS, clueCategoryLabel, isClueCategory } from '../src/utils/clue-categories';
import { clueCaseFixture, myClueFixture } from './helpers/fake-wx';

const TODAY = '2026-11-28';

function values(overrides: Partial<ClueFormValues> = {}): ClueFormValues {
  return {
    category: 'extortion',
    unitId: '',
    official: '',
    content: '窗口人员暗示需要请客吃饭才能加快办理',
    happenedOn: '',
    anonymous: false,
    fileIds: [],
    ...overrides,
  };
}

describe('the five kinds', () => {
  it('are the server\'s, with its labels', () => {
    expect(CLUE_CATEGORY_OPTIONS.map((o) => [o.value, o.label])).toEqual([
      ['extortion', '吃拿卡要'],
      ['buck_passing', '推诿扯皮'],
      ['cold_hard', '冷硬横推'],
      ['illegal_fees', '违规收费'],
      ['other', '其他'],
    ]);
    expect(clueCategoryLabel('cold_hard')).toBe('冷硬横推');
    expect(isClueCategory('bribery')).toBe(false);
    expect(isClueCategory('')).toBe(false);
  });
});

describe('validateClueForm', () => {
  it('passes a complete report', () => {
    expect(validateClueForm(values({ unitId: '3', official: '三号窗口', happenedOn: TODAY, fileIds: ['61'] }), TODAY)).toEqual({});
  });

  it('asks for the kind and the situation', () => {
    expect(validateClueForm(values({ category: '', content: '  \n ' }), TODAY)).toEqual({
      category: '请选择问题类型',
      content: '请填写情况说明',
    });
  });

  it('wants 10 to 2000 characters of situation, counted trimmed and by character as the server counts', () => {
    expect(validateClueForm(values({ content: ' 九个字九个字九个字 ' }), TODAY)).toEqual({ content: '请至少用 10 个字说明情况' });
    expect(validateClueForm(values({ content: '十个字十个字十个字十' }), TODAY)).toEqual({});
    // Ten emoji are ten characters (twenty UTF-16 units).
    expect(contentCount(' 😀😀😀😀😀😀😀😀😀😀 ')).toBe(10);
    expect(validateClueForm(values({ content: '😀'.repeat(10) }), TODAY)).toEqual({});
    expect(validateClueForm(values({ content: '字'.repeat(2000) }), TODAY)).toEqual({});
    expect(validateClueForm(values({ content: '字'.repeat(2001) }), TODAY)).toEqual({ content: '情况说明不能超过 2000 个字' });
  });

  it('keeps who it concerns within 60 characters', () => {
    expect(validateClueForm(values({ official: ` ${'岗'.repeat(60)} ` }), TODAY)).toEqual({});
    expect(validateClueForm(values({ official: '岗'.repeat(61) }), TODAY)).toEqual({ official: '涉及人员或岗位不能超过 60 个字' });
  });

  it('refuses a day after today, as the server does', () => {
    expect(validateClueForm(values({ happenedOn: '2026-11-29' }), TODAY)).toEqual({ happenedOn: '发生日期不能晚于今天' });
    expect(validateClueForm(values({ happenedOn: '2026-11' }), TODAY)).toEqual({ happenedOn: '请选择发生日期' });
  });

  it('takes at most 9 files', () => {
    const ten = Array.from({ length: 10 }, (_, i) => String(i + 1));
    expect(validateClueForm(values({ fileIds: ten }), TODAY)).toEqual({ fileIds: '最多上传 9 个文件' });
  });

  it('names its errors as the server names its fields', () => {
    expect(CLUE_FIELDS).toEqual(['category', 'unitId', 'official', 'happenedOn', 'content', 'fileIds']);
  });
});

describe('clueReportRequest', () => {
  it('trims, leaves out what was not given, and always says whether it is anonymous', () => {
    expect(clueReportRequest(values({ content: '  窗口人员暗示需要请客吃饭才能加快办理 ', official: '   ' }))).toEqual({
      category: 'extortion',
      content: '窗口人员暗示需要请客吃饭才能加快办理',
      anonymous: false,
    });
    expect(
      clueReportRequest(values({ unitId: '3', official: ' 三号窗口 ', happenedOn: '2026-11-20', anonymous: true, fileIds: ['61', '62'] })),
    ).toEqual({
      category: 'extortion',
      unitId: '3',
      official: '三号窗口',
      content: '窗口人员暗示需要请客吃饭才能加快办理',
      happenedOn: '2026-11-20',
      anonymous: true,
      fileIds: ['61', '62'],
    });
  });
});

describe('myClueView', () => {
  it('shows the kind, unit, day and stage of an open clue, and no outcome', () => {
    expect(myClueView(myClueFixture())).toEqual({
      id: '11',
      categoryLabel: '吃拿卡要',
      unit: '青岛市税务局',
      date: '2026-11-28',
      meta: '青岛市税务局 · 反映于 2026-11-28',
      stage: '已收到，等待受理',
      closed: false,
      outcomeText: '',
      content: '办理税务登记时窗口人员暗示需要请客吃饭才能加快办理。',
      anonymous: false,
    });
  });

  it('shows the outcome in general terms once closed, and no unit when none was named', () => {
    const view = myClueView(
      myClueFixture({
        unitName: null,
        stage: '已办结',
        closed: true,
        outcomeText: '您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。',
        closedAt: '2026-12-10T16:00:00+08:00',
      }),
    );
    expect([view.unit, view.meta, view.stage, view.closed, view.outcomeText]).toEqual([
      '',
      '反映于 2026-11-28',
      '已办结',
      true,
      '您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。',
    ]);
  });
});

describe('caseView', () => {
  it('gives the title, the day and the start of the account', () => {
    expect(caseView(clueCaseFixture())).toEqual({
      id: '3',
      title: '某局窗口工作人员吃拿卡要问题',
      date: '2026-11-30',
      excerpt: '2026年10月，某局窗口工作人员在办理业务过程中，向企业暗示索要好处。经核查属实，给予其党内警告处分。',
    });
    const long = caseView(clueCaseFixture({ body: '案'.repeat(81) }));
    expect(long.excerpt).toBe(`${'案'.repeat(80)}…`);
  });
});

describe('移送纪检监察 on a demand', () => {
  const sheet = { reason: '', note: '', content: '', unitId: '', dueDate: '', workingDays: 3 };

  it('is offered to butlers and admins only', () => {
    expect(canRefer(['butler'])).toBe(true);
    expect(canRefer(['admin'])).toBe(true);
    expect(canRefer(['handler', 'enterprise', 'discipline'])).toBe(false);
  });

  it('needs a kind; the note is optional, up to 500 characters', () => {
    expect(checkSheet('refer', sheet)).toEqual({ category: '请选择问题类型' });
    expect(checkSheet('refer', { ...sheet, category: 'buck_passing' })).toEqual({});
    expect(checkSheet('refer', { ...sheet, category: 'other', note: '说'.repeat(501) })).toEqual({ note: '移送说明不能超过 500 个字' });
  });
});
