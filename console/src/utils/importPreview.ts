// The registry import's preview: the file's rows as the server numbered them, each bad row in
// place with its bad cells marked. A CSV file is read here too (the same way the server reads
// it: UTF-8 or GB18030, RFC 4180 quoting, blank lines skipped) so the preview can show the row
// itself; for an Excel file the preview lists the server's row errors with their values.
import type { ImportReport } from '@/api/types';

/** The column headings the server accepts, by the field name its errors use. */
export const COLUMNS: { field: string; label: string; headings: string[] }[] = [
  { field: 'name', label: '企业名称', headings: ['企业名称', '名称', '市场主体名称', '单位名称', 'name'] },
  { field: 'uscc', label: '统一社会信用代码', headings: ['统一社会信用代码', '社会信用代码', '信用代码', 'uscc'] },
  {
    field: 'industryCode',
    label: '行业代码',
    headings: ['行业代码', '国民经济行业代码', '国民经济行业', '所属行业', '行业', 'industrycode'],
  },
  { field: 'scale', label: '企业规模', headings: ['企业规模', '规模', 'scale'] },
  { field: 'registeredAt', label: '成立日期', headings: ['成立日期', '登记日期', '注册日期', '成立时间', 'registeredat'] },
  { field: 'district', label: '所属区域', headings: ['所属区域', '所属片区', '片区', '区域', 'district'] },
  { field: 'qualifications', label: '资质', headings: ['资质', '企业资质', '资质认定', 'qualifications'] },
  { field: 'tags', label: '标签', headings: ['标签', '企业标签', 'tags'] },
];

export function isSpreadsheet(bytes: Uint8Array): boolean {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  return zip || ole;
}

/** UTF-8 (a BOM dropped), else GB18030; null when neither reads it. */
export function decodeText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
}

/** RFC 4180 records; quoted cells may hold commas, quotes ("") and line breaks; empty lines
 * are skipped (as the server's CSV reader does). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let touched = false; // the current record has seen any character or separator
  const endRecord = () => {
    if (touched) {
      row.push(cell);
      rows.push(row);
    }
    row = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      touched = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      touched = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      cell += c;
      touched = true;
    }
  }
  endRecord();
  return rows;
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** The heading row among the first 10 (one naming both the name and the USCC) and where each
 * field's column is. */
export function locateHeadings(table: string[][]): { headingRow: number; columns: Record<string, number> } | null {
  for (let r = 0; r < Math.min(10, table.length); r++) {
    const cells = table[r]!.map(norm);
    const columns: Record<string, number> = {};
    for (const col of COLUMNS) {
      const idx = cells.findIndex((c) => col.headings.some((h) => norm(h) === c));
      if (idx !== -1) columns[col.field] = idx;
    }
    if (columns.name !== undefined && columns.uscc !== undefined) return { headingRow: r, columns };
  }
  return null;
}

export interface CellError {
  field: string;
  code: string;
  message: string;
}

export interface PreviewRow {
  /** The row number as the spreadsheet shows it (the heading row counts), as the server says. */
  row: number;
  /** Cell text by field; null when the file could not be read here (Excel). */
  cells: Record<string, string> | null;
  status: 'error' | 'skipped' | 'ok';
  errors: CellError[];
  /** The value the server reports for a bad cell, by field (when it sends `value`). */
  values: Record<string, string>;
}

export interface Preview {
  columns: { field: string; label: string }[];
  rows: PreviewRow[];
  /** Rows with errors. */
  bad: number;
  /** True when the rows' cells come from reading the file here. */
  local: boolean;
}

/**
 * Puts the server's report onto the rows. `table` is the locally read file (null for Excel);
 * with it every data row is listed in order, else only the rows the report names.
 */
export function buildPreview(table: string[][] | null, report: ImportReport): Preview {
  const errorsByRow = new Map<number, ImportReport['errors']>();
  for (const e of report.errors) {
    const list = errorsByRow.get(e.row) ?? [];
    list.push(e);
    errorsByRow.set(e.row, list);
  }
  const skipped = new Set(report.skipped.map((s) => s.row));
  const toRow = (n: number, cells: Record<string, string> | null): PreviewRow => {
    const errs = errorsByRow.get(n) ?? [];
    const values: Record<string, string> = {};
    for (const e of errs) if (e.value != null) values[e.field] = e.value;
    return {
      row: n,
      cells,
      status: errs.length > 0 ? 'error' : skipped.has(n) ? 'skipped' : 'ok',
      errors: errs.map(({ field, code, message }) => ({ field, code, message })),
      values,
    };
  };

  const located = table ? locateHeadings(table) : null;
  if (table && located) {
    const present = COLUMNS.filter((c) => located.columns[c.field] !== undefined);
    const rows: PreviewRow[] = [];
    for (let i = located.headingRow + 1; i < table.length; i++) {
      const raw = table[i]!;
      if (raw.every((c) => c.trim() === '')) continue;
      const cells: Record<string, string> = {};
      for (const c of present) cells[c.field] = (raw[located.columns[c.field]!] ?? '').trim();
      rows.push(toRow(i + 1, cells));
    }
    // An error on a row this reading did not see still shows (the file's reading differs).
    const seen = new Set(rows.map((r) => r.row));
    for (const n of errorsByRow.keys()) if (!seen.has(n)) rows.push(toRow(n, null));
    rows.sort((a, b) => a.row - b.row);
    return {
      columns: present.map(({ field, label }) => ({ field, label })),
      rows,
      bad: rows.filter((r) => r.status === 'error').length,
      local: true,
    };
  }
  const numbers = [...new Set([...errorsByRow.keys(), ...skipped])].sort((a, b) => a - b);
  const rows = numbers.map((n) => toRow(n, null));
  return {
    columns: COLUMNS.map(({ field, label }) => ({ field, label })),
    rows,
    bad: rows.filter((r) => r.status === 'error').length,
    local: false,
  };
}

/** The label of a field the server names in an error. */
export function fieldLabel(field: string): string {
  return COLUMNS.find((c) => c.field === field)?.label ?? field;
}
