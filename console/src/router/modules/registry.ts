// 企业: the registry, its import, binding requests and invite codes.
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'enterprises',
    name: 'enterprises',
    component: () => import('@/pages/enterprises/index.vue'),
    meta: { title: '企业', roles: SCREEN_ROLES.enterprises, icon: 'city' },
  },
  {
    path: 'enterprises/import',
    name: 'enterprise-import',
    component: () => import('@/pages/enterprises/import.vue'),
    meta: { title: '导入企业', roles: SCREEN_ROLES.import, hidden: true },
  },
  {
    path: 'enterprises/:id',
    name: 'enterprise',
    component: () => import('@/pages/enterprises/detail.vue'),
    meta: { title: '企业档案', roles: SCREEN_ROLES.enterprises, hidden: true },
  },
  {
    path: 'bindings',
    name: 'bindings',
    component: () => import('@/pages/bindings/index.vue'),
    meta: { title: '绑定审核', roles: SCREEN_ROLES.bindings, icon: 'link' },
  },
] satisfies RouteRecordRaw[];
