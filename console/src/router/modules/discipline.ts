// 线索办理, 线索统计, 定期通报, 查阅记录: conduct clues (问题线索), for discipline staff and no one
// else (not admins either: the server answers 403 to anyone else on every clue route).
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'clues',
    name: 'clues',
    component: () => import('@/pages/clues/index.vue'),
    meta: { title: '线索办理', roles: SCREEN_ROLES.clues, icon: 'secured' },
  },
  {
    // The fixed paths before `clues/:id` (the router ranks them first anyway).
    path: 'clues/figures',
    name: 'clue-figures',
    // A lazy chunk like every page: ECharts loads with the figures only.
    component: () => import('@/pages/clues/figures.vue'),
    meta: { title: '线索统计', roles: SCREEN_ROLES.clueFigures, icon: 'chart-column' },
  },
  {
    path: 'clues/bulletins',
    name: 'clue-bulletins',
    component: () => import('@/pages/clues/bulletins.vue'),
    meta: { title: '定期通报', roles: SCREEN_ROLES.clueBulletins, icon: 'notification' },
  },
  {
    path: 'clues/audit',
    name: 'clue-audit',
    component: () => import('@/pages/clues/audit.vue'),
    meta: { title: '查阅记录', roles: SCREEN_ROLES.clueAudit, icon: 'browse' },
  },
  {
    path: 'clues/:id',
    name: 'clue',
    component: () => import('@/pages/clues/detail.vue'),
    meta: { title: '线索详情', roles: SCREEN_ROLES.clues, hidden: true },
  },
] satisfies RouteRecordRaw[];
