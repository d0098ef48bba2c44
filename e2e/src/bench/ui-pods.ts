#!/usr/bin/env node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBrowserHost } from '@switchboard/main/browser-host';
import { AppCore, createLogger, EphemeralLocalIdentityStore } from '@switchboard/main/core';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser, Page } from 'playwright-core';
import { type Chain, startChain } from '../chain/index.js';
import { type Figure, header, ms, percentile, report, run } from './support/stats.js';

const PODS = 10_000;
const BASELINE_PODS = 100;
const SCROLL_FRAMES = 600;
/** Pixels per frame: about 11 rows of 36 px, a brisk fling. */
const SCROLL_STEP_PX = 400;
const CHANGES = 5;

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const document: {
  querySelector(
    selector: string,
  ): { textContent: string | null; scrollTop: number; scrollHeight: number; clientHeight: number } | null;
};
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare class PerformanceObserver {
  constructor(callback: (list: { getEntries(): { duration: number }[] }) => void);
  observe(options: { type: string; buffered?: boolean }): void;
  disconnect(): void;
}

interface ViewFigures {
  pods: number;
  rowsKnownMs: number;
  frames: number[];
  longTasks: number[];
  changeMs: number[];
}

/** `load/bench-change-<i>`: a pod the watch reports as one added row. */
function changePod(index: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-change-${index}`, namespace: 'load' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

/** Waits, checking every frame, until the UI's resource count reads exactly `text`. */
function countShows(page: Page, text: string): Promise<unknown> {
  return page.waitForFunction(
    (wanted) => document.querySelector('[data-testid="resource-count"]')?.textContent === wanted,
    text,
    { polling: 'raf', timeout: 120_000 },
  );
}

async function measureView(browser: Browser, extraPods: number): Promise<ViewFigures> {
  const scratch = await mkdtemp(join(tmpdir(), 'switchboard-bench-ui-'));
  let chain: Chain | undefined;
  let core: AppCore | undefined;
  let host: Awaited<ReturnType<typeof startBrowserHost>> | undefined;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    chain = await startChain({ kubeSim: { extraPods, podStartDelayMs: 0 } });
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store: chain.client.store,
      relayUrl: chain.relayUrl,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {},
      userKubeconfigPath: join(scratch, 'kubeconfig'),
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port: 0 } },
    });
    host = await startBrowserHost({ core, port: 0 });
    const listed = await chain.kubeAdmin.request('GET', '/api/v1/pods');
    const pods = (listed.body as { items: unknown[] }).items.length;

    const page = await context.newPage();
    await page.goto(host.url);
    const row = page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`);
    await row.waitFor({ timeout: 60_000 });
    await page.locator('[data-proxy-state="ready"]').waitFor({ timeout: 60_000 });

    const opened = performance.now();
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    await countShows(page, `${pods.toLocaleString('en-US')} pods`);
    const rowsKnownMs = performance.now() - opened;

    const { frames, longTasks } = await page.evaluate(
      ({ count, step }) =>
        new Promise<{ frames: number[]; longTasks: number[] }>((resolve) => {
          const scroller = document.querySelector('.virtual-table-scroller')!;
          const longTasks: number[] = [];
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) longTasks.push(entry.duration);
          });
          observer.observe({ type: 'longtask' });
          const frames: number[] = [];
          let direction = 1;
          let last: number | undefined;
          const tick = (time: number) => {
            if (last !== undefined) frames.push(time - last);
            last = time;
            if (frames.length >= count) {
              observer.disconnect();
              resolve({ frames, longTasks });
              return;
            }
            const end = scroller.scrollHeight - scroller.clientHeight;
            let next = scroller.scrollTop + direction * step;
            if (next >= end || next <= 0) {
              direction = -direction;
              next = Math.max(0, Math.min(end, next));
            }
            scroller.scrollTop = next;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      { count: SCROLL_FRAMES, step: SCROLL_STEP_PX },
    );

    const changeMs: number[] = [];
    for (let index = 0; index < CHANGES; index++) {
      const started = performance.now();
      await chain.kubeAdmin.apply(changePod(index));
      await countShows(page, `${(pods + index + 1).toLocaleString('en-US')} pods`);
      changeMs.push(performance.now() - started);
    }
    return { pods, rowsKnownMs, frames, longTasks, changeMs };
  } finally {
    await context.close();
    await host?.close();
    await core?.close();
    await chain?.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  header(
    'ui-pods',
    `the pods view (all namespaces) at ${PODS.toLocaleString('en-US')} extra pods vs ${BASELINE_PODS}: rows known, scroll frame times, one change`,
  );
  const browser = await launchChromium();
  try {
    // The large view first: whatever a cold browser and process cost is charged to it, not the baseline.
    const large = await measureView(browser, PODS);
    const baseline = await measureView(browser, BASELINE_PODS);
    const median = (values: number[]) => percentile(values, 50);
    const longTaskTotal = (view: ViewFigures) => view.longTasks.reduce((sum, each) => sum + each, 0);
    const figures: Figure[] = [
      {
        name: `open → ${large.pods.toLocaleString('en-US')} rows known`,
        value: ms(large.rowsKnownMs),
        baseline: ms(baseline.rowsKnownMs),
        ratio: `${(large.rowsKnownMs / baseline.rowsKnownMs).toFixed(1)}×`,
        target: '< 3 s',
        pass: large.rowsKnownMs < 3_000,
      },
      {
        name: 'scroll frame time p50',
        value: ms(median(large.frames)),
        baseline: ms(median(baseline.frames)),
        target: '≤ 17 ms (60 fps)',
        pass: median(large.frames) <= 17.5,
      },
      {
        name: 'scroll frame time p99',
        value: ms(percentile(large.frames, 99)),
        baseline: ms(percentile(baseline.frames, 99)),
        target: '< 50 ms',
        pass: percentile(large.frames, 99) < 50,
      },
      {
        name: 'scroll frame time max',
        value: ms(Math.max(...large.frames)),
        baseline: ms(Math.max(...baseline.frames)),
        target: '< 100 ms',
        pass: Math.max(...large.frames) < 100,
      },
      {
        name: `long tasks while scrolling (${SCROLL_FRAMES} frames)`,
        value: `${large.longTasks.length} / ${ms(longTaskTotal(large))}`,
        baseline: `${baseline.longTasks.length} / ${ms(longTaskTotal(baseline))}`,
        target: 'none',
        pass: large.longTasks.length === 0,
      },
      {
        name: 'one pod created → in the view (median of 5)',
        value: ms(median(large.changeMs)),
        baseline: ms(median(baseline.changeMs)),
        target: '< 1 s',
        pass: median(large.changeMs) < 1_000,
      },
    ];
    report('ui-pods', figures, [
      `pods in the view: ${large.pods} vs ${baseline.pods} (the demo scenario's own pods plus extraPods)`,
      `scrolling: ${SCROLL_STEP_PX} px per frame, bouncing at the ends; headless Chromium paces frames at 60 Hz`,
      `one change: kube-sim → agent → relay → core watch over the session's tunnel (batched every 50 ms) → browser host → React`,
    ]);
  } finally {
    await browser.close();
  }
}

run(main, 15 * 60_000);
