// 活动, 表单, 政策, 群, 客户群: what admins set up for enterprises (issue 19), and the WeCom
// customer groups butlers own with their mass-sends (issue 23).
import type { RouteRecordRaw } from 'vue-router';
import { SCREEN_ROLES } from '@/utils/permissions';

export default [
  {
    path: 'events',
    name: 'events',
    component: () => import('@/pages/events/index.vue'),
    meta: { title: '活动', roles: SCREEN_ROLES.events, icon: 'flag' },
  },
  {
    path: 'events/:id',
    name: 'event',
    component: () => import('@/pages/events/detail.vue'),
    meta: { title: '活动详情', roles: SCREEN_ROLES.events, hidden: true },
  },
  {
    path: 'forms',
    name: 'forms',
    component: () => import('@/pages/forms/index.vue'),
    meta: { title: '表单', roles: SCREEN_ROLES.forms, icon: 'form' },
  },
  {
    path: 'forms/new',
    name: 'form-new',
    component: () => import('@/pages/forms/builder.vue'),
    meta: { title: '新建表单', roles: SCREEN_ROLES.forms, hidden: true },
  },
  {
    path: 'forms/:id',
    name: 'form',
    component: () => import('@/pages/forms/builder.vue'),
    meta: { title: '表单设计', roles: SCREEN_ROLES.forms, hidden: true },
  },
  {
    path: 'policies',
    name: 'policies',
    component: () => import('@/pages/policies/index.vue'),
    meta: { title: '政策', roles: SCREEN_ROLES.policies, icon: 'book' },
  },
  {
    path: 'policies/new',
    name: 'policy-new',
    component: () => import('@/pages/policies/editor.vue'),
    meta: { title: '新建政策', roles: SCREEN_ROLES.policies, hidden: true },
  },
  {
    path: 'policies/:id',
    name: 'policy',
    component: () => import('@/pages/policies/editor.vue'),
    meta: { title: '政策', roles: SCREEN_ROLES.policies, hidden: true },
  },
  {
    path: 'groups',
    name: 'groups',
    component: () => import('@/pages/groups/index.vue'),
    meta: { title: '企业群', roles: SCREEN_ROLES.groups, icon: 'chat' },
  },
  {
    path: 'customer-groups',
    name: 'customer-groups',
    component: () => import('@/pages/customer-groups/index.vue'),
    meta: { title: '客户群', roles: SCREEN_ROLES.customerGroups, icon: 'chat-bubble' },
  },
] satisfies RouteRecordRaw[];
