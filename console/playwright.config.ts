// Browser tests against the real api binary (started by e2e/global-setup.ts on a fresh SQLite
// folder with the demo data), in Debian's Chromium: no browser is downloaded.
import { defineConfig } from '@playwright/test';

// The tests' own dates (today, this year) are the zone's, as the browser's (`timezoneId`) and
// the server's are: on a machine in UTC they would be a day behind from 16:00 to midnight UTC.
process.env.TZ = 'Asia/Shanghai';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // One server, one database: tests run one after another, in file order.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  // Not test-results/ itself: Playwright empties its outputDir, and the screenshots kept as CI
  // artifacts live in test-results/screenshots/.
  outputDir: 'test-results/artifacts',
  reporter: [['list'], ['html', { outputFolder: 'test-results/report', open: 'never' }]],
  use: {
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      // Without --disable-background-networking Chromium keeps calling Google's services,
      // which this closed network refuses over and over.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    },
  },
});
