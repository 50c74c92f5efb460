// The moves of the detail page: label, shortcut key, API path, and the form each needs.
import type { Move } from '@/utils/permissions';
import type { MovePath } from '@/api/demands';

export interface MoveSpec {
  label: string;
  key: string;
  path: MovePath;
  /** No form: the move is made at once. */
  direct?: boolean;
  theme?: 'primary' | 'default' | 'danger' | 'warning';
}

export const MOVES: Record<Move, MoveSpec> = {
  accept: { label: '受理', key: 'a', path: 'accept', direct: true, theme: 'primary' },
  reject: { label: '不予受理', key: 'j', path: 'reject', theme: 'danger' },
  assign: { label: '派单', key: 'd', path: 'assign', theme: 'primary' },
  sign: { label: '签收', key: 's', path: 'sign', direct: true, theme: 'primary' },
  reply: { label: '答复', key: 'r', path: 'reply', theme: 'primary' },
  return: { label: '退回', key: 't', path: 'return', theme: 'warning' },
  extend: { label: '申请延期', key: 'e', path: 'extend' },
  approve_extension: { label: '批准延期', key: 'p', path: 'approve-extension', direct: true },
  callback_rating: { label: '回访评价', key: 'g', path: 'callback-rating', theme: 'primary' },
  supervise: { label: '督办', key: 'u', path: 'supervise', theme: 'warning' },
  merge: { label: '合并', key: 'm', path: 'merge' },
  flag_unreasonable: { label: '标记不合理', key: 'f', path: 'flag-unreasonable' },
  comment: { label: '留言', key: 'c', path: 'comment' },
};

/** The order the buttons appear in. */
export const MOVE_ORDER: Move[] = [
  'accept',
  'assign',
  'sign',
  'reply',
  'callback_rating',
  'approve_extension',
  'reject',
  'return',
  'extend',
  'supervise',
  'merge',
  'flag_unreasonable',
  'comment',
];
