// Routes under /console/; each page loads on demand. The guard restores the session once per
// page load (the refresh cookie) and keeps each screen to the roles in its meta.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useAuthStore } from '@/store/auth';
import { hasAnyRole, homeFor, type Role } from '@/utils/permissions';
import desk from './modules/desk';
import registry from './modules/registry';
import admin from './modules/admin';
import programs from './modules/programs';
import work from './modules/work';
import discipline from './modules/discipline';
import field from './modules/field';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    roles?: readonly Role[];
    hidden?: boolean;
    icon?: string;
    public?: boolean;
  }
}

export const menuRoutes: RouteRecordRaw[] = [...desk, ...registry, ...field, ...programs, ...work, ...admin, ...discipline];

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  {
    // The butler's sidebar in WeCom's customer-group chat toolbar: outside the console's frame,
    // and public to the guard because it signs in by itself (WeCom's OAuth code), never by the
    // sign-in page.
    path: '/sidebar',
    name: 'sidebar',
    component: () => import('@/pages/sidebar/index.vue'),
    meta: { title: '客户群助手', public: true },
  },
  {
    path: '/',
    component: () => import('@/layouts/BasicLayout.vue'),
    children: [
      // Decided in the guard, once the session is restored (a route redirect would run first).
      { path: '', name: 'home', component: { render: () => null } },
      ...menuRoutes,
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('@/pages/result/forbidden.vue'),
        meta: { title: '无权访问' },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/pages/result/not-found.vue'),
    meta: { title: '页面不存在', public: true },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.restore();
  if (to.meta.public) {
    if (to.name === 'login' && auth.signedIn) return homeFor(auth.user);
    return true;
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.name !== 'home' ? { redirect: to.fullPath } : {} };
  }
  if (to.name === 'home') return homeFor(auth.user);
  if (to.meta.roles && !hasAnyRole(auth.user, to.meta.roles)) return { name: 'forbidden' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 亲清工作台` : '亲清工作台';
});
