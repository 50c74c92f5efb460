import { describe, expect, it } from 'vitest';
import { badRows, milestonesText, parseMilestones, parseProgress } from '@/utils/plans';

describe('milestones typed on one line', () => {
  it('read the import’s format and write it back', () => {
    const { milestones, bad } = parseMilestones('2026-12-01 完成方案；2027-01-15  上线;');
    expect(bad).toBeNull();
    expect(milestones).toEqual([
      { dueOn: '2026-12-01', title: '完成方案', done: false },
      { dueOn: '2027-01-15', title: '上线', done: false },
    ]);
    expect(milestonesText(milestones)).toBe('2026-12-01 完成方案；2027-01-15 上线');
  });

  it('name the part without a date', () => {
    expect(parseMilestones('2026-12-01 完成方案；下月上线').bad).toBe('下月上线');
  });
});

describe('an import’s dry run', () => {
  it('groups the problems by row in sheet order', () => {
    const rows = badRows({
      dryRun: true,
      rows: 5,
      valid: 3,
      created: 0,
      errors: [
        { row: 5, field: 'deadline', code: 'invalid_date', message: '日期无效', value: '明天' },
        { row: 3, field: 'unit', code: 'unknown_unit', message: '单位不存在', value: '某局' },
        { row: 5, field: 'unit', code: 'required', message: '必填', value: null },
      ],
    });
    expect(rows.map((r) => [r.row, r.problems.map((p) => p.field)])).toEqual([
      [3, ['unit']],
      [5, ['deadline', 'unit']],
    ]);
  });
});

describe('progress', () => {
  it('is a whole percentage', () => {
    expect(parseProgress('40')).toBe(40);
    expect(parseProgress('100%')).toBe(100);
    expect(parseProgress('101')).toBeNull();
    expect(parseProgress('4.5')).toBeNull();
    expect(parseProgress('')).toBeNull();
  });
});
