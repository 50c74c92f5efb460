// 人员与角色, 单位, 日历: administration.
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'people',
    name: 'people',
    component: () => import('@/pages/people/index.vue'),
    meta: { title: '人员与角色', roles: SCREEN_ROLES.people, icon: 'user' },
  },
  {
    path: 'units',
    name: 'units',
    component: () => import('@/pages/units/index.vue'),
    meta: { title: '单位', roles: SCREEN_ROLES.units, icon: 'usergroup' },
  },
  {
    path: 'calendar',
    name: 'calendar',
    component: () => import('@/pages/calendar/index.vue'),
    meta: { title: '工作日历', roles: SCREEN_ROLES.calendar, icon: 'calendar' },
  },
] satisfies RouteRecordRaw[];
