import { describe, expect, it } from 'vitest';
import { buildPreview, decodeText, fieldLabel, isSpreadsheet, locateHeadings, parseCsv } from '@/utils/importPreview';
import type { ImportReport } from '@/api/types';

const report = (over: Partial<ImportReport>): ImportReport => ({ dryRun: true, rows: 0, valid: 0, created: 0, skipped: [], errors: [], ...over });

describe('reading a CSV as the server does', () => {
  it('handles quotes, escaped quotes, commas and line breaks in cells', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n');
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('skips empty lines but keeps rows of empty cells', () => {
    expect(parseCsv('a,b\n\n,\nc,d')).toEqual([['a', 'b'], ['', ''], ['c', 'd']]);
  });

  it('decodes UTF-8 with a BOM, and GB18030', () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('企业名称')]);
    expect(decodeText(utf8)).toBe('企业名称');
    // 「企业」 in GBK
    expect(decodeText(new Uint8Array([0xc6, 0xf3, 0xd2, 0xb5]))).toBe('企业');
  });

  it('tells an Excel file by its signature', () => {
    expect(isSpreadsheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe(true);
    expect(isSpreadsheet(new TextEncoder().encode('企业名称,'))).toBe(false);
  });

  it('finds the heading row below a title line', () => {
    const t = parseCsv('2026年新设企业名录\n序号,企业名称,统一社会信用代码,成立日期\n1,星河,913502,2020-01-01');
    expect(locateHeadings(t)).toEqual({ headingRow: 1, columns: { name: 1, uscc: 2, registeredAt: 3 } });
  });
});

describe('the preview', () => {
  const csv = [
    '企业名称,统一社会信用代码,行业代码,企业规模,成立日期',
    '星河软件,91350200MA2Y8G0N22,I6513,小型,2020-03-15',
    '坏数据公司,91370211XXXXXXXXXX,C3491,特大,2020-13-01',
    '',
    '已有公司,91370211AY4CL12T2J,C3491,中型,2016-05-12',
  ].join('\n');

  it('puts each error on its row, numbered as the spreadsheet shows it, with the bad cells', () => {
    const r = report({
      rows: 3,
      valid: 1,
      skipped: [{ row: 4, uscc: '91370211AY4CL12T2J', enterpriseId: '1' }],
      errors: [
        { row: 3, field: 'uscc', code: 'invalid_check_digit', message: '统一社会信用代码校验位不正确' },
        { row: 3, field: 'scale', code: 'invalid', message: '企业规模「特大」应为 微型、小型、中型 或 大型' },
      ],
    });
    const p = buildPreview(parseCsv(csv), r);
    expect(p.local).toBe(true);
    expect(p.bad).toBe(1);
    expect(p.rows.map((x) => [x.row, x.status])).toEqual([
      [2, 'ok'],
      [3, 'error'],
      [4, 'skipped'],
    ]);
    const bad = p.rows[1]!;
    expect(bad.cells?.name).toBe('坏数据公司');
    expect(bad.cells?.scale).toBe('特大');
    expect(bad.errors.map((e) => e.field)).toEqual(['uscc', 'scale']);
    expect(p.columns.map((c) => c.label)).toEqual(['企业名称', '统一社会信用代码', '行业代码', '企业规模', '成立日期']);
  });

  it('still shows an error on a row this reading did not see', () => {
    const p = buildPreview(parseCsv(csv), report({ errors: [{ row: 40, field: 'name', code: 'required', message: '缺少企业名称' }] }));
    expect(p.rows.at(-1)).toMatchObject({ row: 40, status: 'error', cells: null });
  });

  it('for Excel, lists the rows the report names, with the values it sends', () => {
    const p = buildPreview(
      null,
      report({
        skipped: [{ row: 9, uscc: 'x', enterpriseId: '1' }],
        errors: [{ row: 5, field: 'registeredAt', code: 'invalid', message: '成立日期无法识别', value: '2020/13/01' }],
      }),
    );
    expect(p.local).toBe(false);
    expect(p.rows.map((r) => [r.row, r.status])).toEqual([
      [5, 'error'],
      [9, 'skipped'],
    ]);
    expect(p.rows[0]!.values).toEqual({ registeredAt: '2020/13/01' });
    expect(fieldLabel('registeredAt')).toBe('成立日期');
  });
});
