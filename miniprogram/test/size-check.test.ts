// The main-package size check (scripts/size-check.mjs): what it counts, and that it fails above
// the budget.
import { describe, expect, it } from '@jest/globals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { spawnSync } = require('node:child_process') as {
  spawnSync(cmd: string, args: string[], o: { cwd: string; env: Record<string, string | undefined>; encoding: 'utf8' }): { status: number | null; stdout: string; stderr: string };
};
declare const process: { execPath: string; env: Record<string, string | undefined> };

const root = `${__dirname}/..`;

function run(budgetKb?: number): { status: number | null; total: number; files: string[] } {
  const env = { ...process.env, SIZE_BUDGET_KB: budgetKb === undefined ? undefined : String(budgetKb) };
  const res = spawnSync(process.execPath, ['scripts/size-check.mjs', '--json'], { cwd: root, env, encoding: 'utf8' });
  const last = res.stdout.trim().split('\n').pop() ?? '{}';
  const parsed = JSON.parse(last) as { total: number; files: string[] };
  return { status: res.status, ...parsed };
}

describe('size check', () => {
  const result = run();

  it('counts the app, the tab pages, main-package code that subpackages use, and the TDesign they need', () => {
    expect(result.files).toEqual(expect.arrayContaining(['src/app.json', 'src/pages/home/index.ts', 'src/utils/request.ts', 'src/components/form-renderer/index.wxml']));
    expect(result.files).toEqual(expect.arrayContaining(['node_modules/tdesign-miniprogram/miniprogram_dist/button/button.js', 'node_modules/tdesign-miniprogram/miniprogram_dist/common/style/index.wxss']));
    // Nothing of a subpackage, no TDesign component nobody uses, no type-only file.
    expect(result.files.filter((f) => f.startsWith('src/subpackages/'))).toEqual([]);
    expect(result.files.filter((f) => f.includes('/calendar/'))).toEqual([]);
    expect(result.files).not.toContain('src/types/openapi.d.ts');
    expect(result.files).not.toContain('src/types/api.ts');
  });

  it('passes within the budget and fails above it', () => {
    expect(result.status).toBe(0);
    expect(result.total).toBeGreaterThan(100 * 1024);
    expect(run(Math.floor(result.total / 1024) - 1).status).toBe(1);
  });
});
