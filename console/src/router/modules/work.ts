// 督办, 数据看板, 企业之声, 审计: following the work (issue 19).
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'plans',
    name: 'plans',
    component: () => import('@/pages/plans/index.vue'),
    meta: { title: '督办', roles: SCREEN_ROLES.plans, icon: 'task' },
  },
  {
    path: 'dashboard',
    name: 'dashboard',
    // A lazy chunk like every page: ECharts loads with the dashboard only.
    component: () => import('@/pages/dashboard/index.vue'),
    meta: { title: '数据看板', roles: SCREEN_ROLES.dashboard, icon: 'chart' },
  },
  {
    path: 'reports',
    name: 'reports',
    component: () => import('@/pages/reports/index.vue'),
    meta: { title: '企业之声', roles: SCREEN_ROLES.reports, icon: 'article' },
  },
  {
    path: 'audit',
    name: 'audit',
    component: () => import('@/pages/audit/index.vue'),
    meta: { title: '审计日志', roles: SCREEN_ROLES.audit, icon: 'history' },
  },
] satisfies RouteRecordRaw[];
