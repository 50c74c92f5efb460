// 工作台, 诉求详情, 热线受理: the desk work of butlers, handlers and admins.
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'queue',
    name: 'queue',
    component: () => import('@/pages/queue/index.vue'),
    meta: { title: '工作台', roles: SCREEN_ROLES.queue, icon: 'queue' },
  },
  {
    path: 'demands/:id',
    name: 'demand',
    component: () => import('@/pages/demand/index.vue'),
    meta: { title: '诉求详情', roles: SCREEN_ROLES.demand, hidden: true },
  },
  {
    path: 'hotline',
    name: 'hotline',
    component: () => import('@/pages/hotline/index.vue'),
    meta: { title: '热线受理', roles: SCREEN_ROLES.hotline, icon: 'call' },
  },
] satisfies RouteRecordRaw[];
