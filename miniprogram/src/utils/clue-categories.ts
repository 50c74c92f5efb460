// The five kinds of conduct clue (问题线索), as the server labels them. Here in the main package
// because two subpackages show them: the clue pages (问题线索反映) and the demand detail's
// 移送纪检监察. Pure: no `wx`, no network.
import type { ClueCategory } from '../types/api';

export const CLUE_CATEGORY_OPTIONS: readonly { value: ClueCategory; label: string }[] = [
  { value: 'extortion', label: '吃拿卡要' },
  { value: 'buck_passing', label: '推诿扯皮' },
  { value: 'cold_hard', label: '冷硬横推' },
  { value: 'illegal_fees', label: '违规收费' },
  { value: 'other', label: '其他' },
];

export function isClueCategory(value: unknown): value is ClueCategory {
  return CLUE_CATEGORY_OPTIONS.some((o) => o.value === value);
}

export function clueCategoryLabel(category: string): string {
  return CLUE_CATEGORY_OPTIONS.find((o) => o.value === category)?.label ?? category;
}
