/**
 * Browser-test harness: a fresh platform with the shipped CRM metadata on a
 * temporary embedded engine, served over HTTP on a free loopback port (the
 * built UI included), and Debian's headless Chromium driven by
 * playwright-core. The UI is built first when ui/dist is missing or stale.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHttpServer, type HttpServer } from '../../core/http/server.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { ensureUiBuilt } from '../../ui/ensure-built.ts';
import { startTestApi, TEST_ADMIN, type TestApi } from '../support/api.ts';
import { REPO_ROOT } from '../support/process.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'browser');
export { TEST_ADMIN };

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`;
}

export interface UiSession {
  api: TestApi;
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** saves a full-page screenshot under test-artifacts/browser/<name>.png */
  screenshot(name: string): Promise<string>;
  /** signs in through the sign-in page as the bootstrap administrator */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

export async function startUiSession(options: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<UiSession> {
  ensureUiBuilt({ quiet: true });
  const api = await startTestApi({ appsDir: SHIPPED_APPS_DIR, metadataPollMs: 200 });
  let server: HttpServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startHttpServer({ app: api.platform.app, port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (error) {
    await server?.close(0);
    await api.close();
    throw error;
  }
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 1360, height: 860 }, timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const openBrowser = browser;
  const openServer = server;
  return {
    api,
    baseUrl,
    browser: openBrowser,
    context,
    page,
    async screenshot(name) {
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async signIn() {
      await page.goto(baseUrl);
      await page.getByLabel(/e-mail|эл\. почта/i).fill(TEST_ADMIN.email);
      await page.getByLabel(/password|пароль/i).fill(TEST_ADMIN.password);
      await page.getByRole('button', { name: /sign in|войти/i }).click();
      await page.getByRole('navigation').waitFor();
    },
    async close() {
      await context.close().catch(() => undefined);
      await openBrowser.close().catch(() => undefined);
      await openServer.close(0);
      await api.close();
    },
  };
}
