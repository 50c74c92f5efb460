import { createApp } from 'vue';
import { createPinia } from 'pinia';
import 'tdesign-vue-next/es/style/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router';
import { configureAuth } from './api/client';
import { useAuthStore } from './store/auth';
import { vLabel } from './directives/label';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);
app.directive('label', vLabel);

const auth = useAuthStore(pinia);
configureAuth({
  token: () => auth.token,
  refresh: () => auth.refresh().catch(() => null),
  sessionLost: () => {
    auth.clear();
    const current = router.currentRoute.value;
    if (!current.meta.public) void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
  },
});

app.mount('#app');
