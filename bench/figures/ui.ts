/**
 * The UI figures, in Debian's Chromium through Playwright against the real web preview
 * (`node src/web/serve.ts --db DB --port 0 --no-demo`) over a database holding the book:
 *
 * - first rows: a cold load of the screen, from navigation start (performance.timeOrigin) to the
 *   frame after the first data row is in the table (rAF + task ≈ painted), median of N loads;
 * - search: keydown (event.timeStamp) to the frame after the last DOM change the keystroke caused,
 *   once the page has been quiet for longer than any debounce, p95 over N keystrokes;
 * - scrolling: long tasks (> 50 ms, PerformanceObserver) while scrolling through N rows with
 *   wheel input, 10 rows per event, loading pages as the list asks for them;
 * - memory: used JS heap after a forced GC with the list mounted (CDP Runtime.getHeapUsage).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { median, percentile } from '../lib/stats.ts';
import { BENCH_AS_OF } from '../lib/config.ts';
import { REPO_DIR } from '../lib/paths.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export interface UiTarget {
  /** Hash route, e.g. "/today". */
  route: string;
  /** Accessible name of the list's table. */
  table: string;
  /** Accessible name of the search box. */
  search: string;
}

/**
 * Today as of the book's day: the bench's book is history up to BENCH_AS_OF, and without asOf the
 * screen would ask for the real today, find no snapshot for it and start scoring the whole book in
 * the background while we measure.
 */
export const TODAY: UiTarget = {
  route: `/today?asOf=${BENCH_AS_OF}`,
  table: 'At-risk accounts',
  search: 'Search accounts',
};
/** Used, and said so in the results, while the Today screen has no list yet. */
export const ACCOUNTS_FALLBACK: UiTarget = { route: '/accounts', table: 'Accounts', search: 'Search accounts' };

export interface UiOptions {
  dbPath: string;
  pageLoads: number;
  keystrokes: number;
  /** Words typed into the search box, one character at a time, then erased with Backspace. */
  searchWords: string[];
  scrollRows: number;
  log: (line: string) => void;
  /** Serve another checkout (for trying a change side by side); default this repository. */
  repoDir?: string;
}

export interface UiResult {
  target: UiTarget;
  browserVersion: string;
  firstRowsMs: number | null;
  firstRowsSamples: number[];
  /** Medians over the loads: where the time to first rows went. */
  breakdown: {
    scriptEnd: number | null;
    domContentLoaded: number | null;
    apiCalls: number | null;
    lastApiEnd: number | null;
    slowestApiMs: number | null;
    slowestApi: string | null;
  };
  searchP95Ms: number | null;
  searchMedianMs: number | null;
  searchSamples: number[];
  /** Keystrokes after which nothing on the page changed (not counted in the p95). */
  searchNoChange: number;
  longTasks: number | null;
  longestTaskMs: number | null;
  rowsScrolled: number;
  scrollMs: number | null;
  heapMb: number | null;
  heapAfterScrollMb: number | null;
}

/** Starts the web preview and resolves with its URL once it prints it. */
export function startPreview(dbPath: string, repoDir = REPO_DIR): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(repoDir, 'src', 'web', 'serve.ts'), '--db', dbPath, '--port', '0', '--no-demo'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: repoDir,
      },
    );
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`The web preview did not start within 60 s: ${output.slice(-400)}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Foresight web preview: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web preview exited (code ${code}): ${output.slice(-400)}`));
    });
  });
}

/** Installed before any page script: records when the first data row of the table is painted. */
function firstRowsProbe(tableName: string): void {
  const w = window as unknown as { __bench: { firstRows: number | null } };
  w.__bench = { firstRows: null };
  const selector = `table[aria-label="${tableName}"] tbody tr:not([aria-hidden="true"]) td`;
  const observer = new MutationObserver(() => {
    if (w.__bench.firstRows !== null || !document.querySelector(selector)) return;
    observer.disconnect();
    // The callback of the next animation frame runs just before that frame paints; a task queued
    // from it runs just after.
    requestAnimationFrame(() => setTimeout(() => (w.__bench.firstRows = performance.now()), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function tableExists(page: Page, target: UiTarget): Promise<boolean> {
  try {
    await page.locator(`table[aria-label="${target.table}"]`).waitFor({ timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Where the time before the first rows went, from Navigation and Resource Timing. */
export interface LoadBreakdown {
  firstRows: number;
  /** The main script downloaded. */
  scriptEnd: number | null;
  domContentLoaded: number | null;
  /** API calls finished before the first rows: count and when the last one ended. */
  apiCalls: number;
  lastApiEnd: number | null;
  /** Longest single API call before the first rows. */
  slowestApiMs: number | null;
  slowestApi: string | null;
}

async function measureFirstRows(page: Page, url: string, target: UiTarget): Promise<LoadBreakdown | null> {
  await page.goto('about:blank');
  await page.goto(`${url}#${target.route}`);
  try {
    await page.waitForFunction(
      () => (window as unknown as { __bench?: { firstRows: number | null } }).__bench?.firstRows != null,
      undefined,
      { timeout: 60_000, polling: 50 },
    );
  } catch {
    return null;
  }
  return page.evaluate(() => {
    const firstRows = (window as unknown as { __bench: { firstRows: number } }).__bench.firstRows;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (r) => r.responseEnd <= firstRows,
    );
    const scripts = resources.filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
    const api = resources.filter((r) => r.name.includes('/api/') && !r.name.includes('/api/events'));
    const slowest = api.reduce<PerformanceResourceTiming | null>(
      (a, r) => (a === null || r.duration > a.duration ? r : a),
      null,
    );
    return {
      firstRows,
      scriptEnd: scripts.length ? Math.max(...scripts.map((r) => r.responseEnd)) : null,
      domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
      apiCalls: api.length,
      lastApiEnd: api.length ? Math.max(...api.map((r) => r.responseEnd)) : null,
      slowestApiMs: slowest ? slowest.duration : null,
      slowestApi: slowest ? new URL(slowest.name).pathname.replace('/api/', '') : null,
    };
  });
}

/** Sets up the keystroke probe: keydown time, last DOM change and the frame after it. */
async function installKeystrokeProbe(page: Page, searchName: string): Promise<void> {
  await page.evaluate((name) => {
    const w = window as unknown as { __keys: { down: number; lastChange: number; painted: number; changed: boolean } };
    w.__keys = { down: 0, lastChange: 0, painted: 0, changed: false };
    const input = document.querySelector(`input[aria-label="${name}"]`)!;
    input.addEventListener(
      'keydown',
      (event) => {
        w.__keys = { down: event.timeStamp, lastChange: performance.now(), painted: 0, changed: false };
      },
      { capture: true },
    );
    new MutationObserver(() => {
      const at = performance.now();
      w.__keys.lastChange = at;
      w.__keys.changed = true;
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (w.__keys.lastChange === at) w.__keys.painted = performance.now();
        }, 0),
      );
    }).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-rowcount', 'class', 'hidden'],
    });
  }, searchName);
}

/** Resolves once nothing has changed for `quietMs`; returns the keystroke's latency or null. */
async function keystrokeLatency(page: Page, quietMs: number): Promise<number | null> {
  await page.waitForFunction(
    (quiet) => {
      const k = (window as unknown as { __keys: { lastChange: number } }).__keys;
      return performance.now() - k.lastChange > quiet;
    },
    quietMs,
    { timeout: 30_000, polling: 50 },
  );
  return page.evaluate(() => {
    const k = (window as unknown as { __keys: { down: number; painted: number; changed: boolean } }).__keys;
    return k.changed && k.painted > 0 ? k.painted - k.down : null;
  });
}

/**
 * Scrolls the list with real wheel input (through Chromium's compositor, as a mouse wheel or
 * trackpad would), 10 rows per wheel event, as fast as the events can be sent (about 1,000 rows a
 * second here), until `rows` rows have gone by, pausing only when the list is waiting for its next
 * page. Long tasks are collected by a PerformanceObserver in the page the whole time.
 */
async function measureScroll(
  page: Page,
  target: UiTarget,
  rows: number,
): Promise<{ longTasks: number; longest: number; rowsScrolled: number; ms: number }> {
  const region = page.locator(`[role="region"][aria-label="${target.table}"]`);
  const box = await region.boundingBox();
  if (!box) throw new Error(`The "${target.table}" list has no scroll region on screen.`);
  const rowHeight = await page.evaluate((name) => {
    (window as unknown as { __tasks: number[] }).__tasks = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((entry) => (window as unknown as { __tasks: number[] }).__tasks.push(entry.duration)),
    ).observe({ type: 'longtask' });
    return (
      document
        .querySelector<HTMLElement>(`table[aria-label="${name}"] tbody tr:not([aria-hidden="true"])`)
        ?.getBoundingClientRect().height || 36
    );
  }, target.table);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const goal = rows * rowHeight;
  const scrollTop = () => region.evaluate((el) => el.scrollTop);
  const started = Date.now();
  let lastMoved = started;
  let position = 0;
  while (position < goal - 1) {
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, rowHeight * 10);
    const now = await scrollTop();
    if (now > position) {
      position = now;
      lastMoved = Date.now();
    } else if (Date.now() - lastMoved > 5000) {
      break; // The end of the list, or a page that never came.
    } else {
      await page.waitForTimeout(50);
    }
  }
  const ms = lastMoved - started;
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(() => (window as unknown as { __tasks: number[] }).__tasks);
  const long = tasks.filter((d) => d > 50);
  return {
    longTasks: long.length,
    longest: Math.max(0, ...tasks),
    rowsScrolled: Math.round(Math.min(position, goal) / rowHeight),
    ms,
  };
}

async function heapMb(page: Page): Promise<number | null> {
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    return usage.usedSize / (1024 * 1024);
  } catch {
    return null;
  }
}

export async function measureUi(options: UiOptions): Promise<UiResult> {
  const { url, child } = await startPreview(options.dbPath, options.repoDir);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });

    // Which screen: Today's at-risk list when it exists, else the Accounts list (reported).
    let target = TODAY;
    const probe = await context.newPage();
    await probe.goto(`${url}#${TODAY.route}`);
    if (!(await tableExists(probe, TODAY))) target = ACCOUNTS_FALLBACK;
    await probe.close();
    options.log(`  UI: measuring #${target.route}, table "${target.table}"`);

    const page = await context.newPage();
    await page.addInitScript(firstRowsProbe, target.table);
    const firstRowsSamples: number[] = [];
    const breakdowns: LoadBreakdown[] = [];
    // One warm-up load (the server's first query, Chromium's code cache), then the measured loads.
    await measureFirstRows(page, url, target);
    for (let i = 0; i < options.pageLoads; i++) {
      const load = await measureFirstRows(page, url, target);
      if (load !== null) {
        firstRowsSamples.push(load.firstRows);
        breakdowns.push(load);
      }
    }
    const mid = (pick: (b: LoadBreakdown) => number | null) =>
      median(breakdowns.map(pick).filter((v): v is number => v !== null));
    const slowestApi = breakdowns.map((b) => b.slowestApi).find((name) => name !== null) ?? null;

    await page.waitForTimeout(500);
    const heap = await heapMb(page);

    // Search keystrokes.
    const searchSamples: number[] = [];
    let searchNoChange = 0;
    const box = page.getByRole('searchbox', { name: target.search });
    if ((await box.count()) > 0) {
      await installKeystrokeProbe(page, target.search);
      await box.focus();
      let typed = 0;
      for (const word of options.searchWords) {
        const keys = [...word.split(''), ...word.split('').map(() => 'Backspace')];
        for (const key of keys) {
          if (typed >= options.keystrokes) break;
          await page.keyboard.press(key);
          typed++;
          const latency = await keystrokeLatency(page, 700);
          if (latency === null) searchNoChange++;
          else searchSamples.push(latency);
        }
      }
      await box.fill('');
      await page.waitForTimeout(800);
    }

    // Scrolling, from a fresh load so the scroll starts at the top of the list.
    await measureFirstRows(page, url, target);
    await page.waitForTimeout(300);
    const scroll = await measureScroll(page, target, options.scrollRows);
    const heapAfterScroll = await heapMb(page);

    return {
      target,
      browserVersion: browser.version(),
      firstRowsMs: median(firstRowsSamples),
      firstRowsSamples,
      breakdown: {
        scriptEnd: mid((b) => b.scriptEnd),
        domContentLoaded: mid((b) => b.domContentLoaded),
        apiCalls: mid((b) => b.apiCalls),
        lastApiEnd: mid((b) => b.lastApiEnd),
        slowestApiMs: mid((b) => b.slowestApiMs),
        slowestApi,
      },
      searchP95Ms: percentile(searchSamples, 95),
      searchMedianMs: median(searchSamples),
      searchSamples,
      searchNoChange,
      longTasks: scroll.longTasks,
      longestTaskMs: scroll.longest,
      rowsScrolled: scroll.rowsScrolled,
      scrollMs: scroll.ms,
      heapMb: heap,
      heapAfterScrollMb: heapAfterScroll,
    };
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
  }
}
