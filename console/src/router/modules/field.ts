// 三上门, 涉企检查, 免罚清单: the work at enterprises' doors (butler visits, on-site
// inspections) and the lists that spare minor first offences.
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'visits',
    name: 'visits',
    component: () => import('@/pages/visits/index.vue'),
    meta: { title: '三上门', roles: SCREEN_ROLES.visits, icon: 'home' },
  },
  {
    path: 'inspections',
    name: 'inspections',
    component: () => import('@/pages/inspections/index.vue'),
    meta: { title: '涉企检查', roles: SCREEN_ROLES.inspections, icon: 'search' },
  },
  {
    path: 'leniency',
    name: 'leniency',
    component: () => import('@/pages/leniency/index.vue'),
    meta: { title: '免罚清单', roles: SCREEN_ROLES.leniency, icon: 'file-safety' },
  },
] satisfies RouteRecordRaw[];
