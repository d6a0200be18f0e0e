import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's chromium (scripts/install-system-deps.sh installs it); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** What one chart element of report.html shows in the browser. */
export interface ChartInPage {
  readonly id: string;
  /** data-points: how many data points the report says it draws. */
  readonly points: number;
  readonly canvases: number;
  readonly width: number;
  readonly height: number;
  /** Canvas pixels that are neither transparent nor white: what was drawn. */
  readonly drawnPixels: number;
  /** Distinct colours among them (axes and text alone are a few greys). */
  readonly colours: number;
}

export interface PageCheck {
  readonly charts: readonly ChartInPage[];
  /** data-charts-drawn on <body>: charts the page script initialised. */
  readonly drawn: number;
  /** Requests the page tried to make to anything but its own file. */
  readonly requests: readonly string[];
  readonly errors: readonly string[];
  readonly screenshot: string;
}

/** Runs in the page (as text: this project compiles without the DOM's types). */
const FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))';

/** Runs in the page: per div.chart, its canvases and the pixels drawn on them. */
const MEASURE_CHARTS = `[...document.querySelectorAll('div.chart')].map((element) => {
  const canvases = [...element.querySelectorAll('canvas')];
  let drawnPixels = 0;
  const colours = new Set();
  for (const canvas of canvases) {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) continue;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
      if (a === 0 || (r > 250 && g > 250 && b > 250)) continue;
      drawnPixels++;
      if (colours.size < 1000) colours.add((r << 16) | (g << 8) | b);
    }
  }
  const box = element.getBoundingClientRect();
  return { id: element.id, points: Number(element.getAttribute('data-points')), canvases: canvases.length, width: box.width, height: box.height, drawnPixels, colours: colours.size };
})`;

/**
 * Opens report.html from file:// in headless Chromium (as root: --no-sandbox; a fresh profile;
 * no network: every request other than the file itself is recorded and aborted), waits for the
 * charts, counts what each chart's canvas drew, and saves a full-page screenshot.
 */
export async function checkReportInChromium(htmlPath: string, screenshotPath: string): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'lmk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    const url = pathToFileURL(htmlPath).href;
    const requests: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      requests.push(route.request().url());
      return route.abort();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts-drawn]', { timeout: 30_000 });
    // ECharts draws on the next animation frame: let two pass.
    await page.evaluate(FRAMES);
    const drawn = Number(await page.getAttribute('body', 'data-charts-drawn'));
    const charts = (await page.evaluate(MEASURE_CHARTS)) as ChartInPage[];
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { charts, drawn, requests, errors, screenshot: screenshotPath };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
