import { mergeConfig, defineConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['tests/unit/**/*.test.ts'],
      // A guard against a hang, not a timing: the router test's first import transforms every
      // screen's module, which on a loaded 2-core machine (CI building Rust beside it) takes
      // more than the default 5 s.
      testTimeout: 30_000,
    },
  }),
);
