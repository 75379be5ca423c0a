/**
 * What the journeys check on every page they reach: axe-core (WCAG 2.2 A/AA) at a desktop's width and
 * at 320 px, heading order, no sideways scrolling at 375 px and 320 px; and the page's HTML is kept for the Nu
 * HTML Checker, which `htmlCheckTest()` runs once over all of them at the end of the journey file.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';

const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
/** Each page is checked at a desktop's width and at the narrowest phone WCAG 1.4.10 (Reflow) names. */
export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 320, height: 640 };
/** The most common phone width: layouts break between the two as well (a fixed-width element, a min-width). */
export const COMMON_PHONE = { width: 375, height: 667 };

interface AxeNode { target: unknown[]; html: string; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

function selector(target: unknown): string {
  return Array.isArray(target) ? target.map(selector).join(' >>> ') : String(target);
}

/** Formats axe violations so a failing test says which rule, where, on which element and page. */
export function formatViolations(url: string, violations: AxeViolation[]): string {
  const lines = [`axe-core found ${violations.length} accessibility violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push(`\n  ● ${v.id} [${v.impact ?? 'unknown impact'}] ${v.help}`, `    ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`    - target: ${n.target.map(selector).join(', ')}`);
      lines.push(`      html:   ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.failureSummary) lines.push(...n.failureSummary.split('\n').map((s) => `      ${s}`));
    }
  }
  return lines.join('\n');
}

const noScript = new WeakMap<Page, CDPSession>();

/**
 * Switches JavaScript off in this page, as a visitor without scripts would browse: pages load and
 * forms post with no enhancement. (axe still runs: scripts are switched on just for the check.)
 */
export async function disableScripts(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  noScript.set(page, cdp);
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) on the current page; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const cdp = noScript.get(page);
  if (cdp) await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
  try {
    const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
    if (!loaded) await page.addScriptTag({ path: AXE_PATH });
    return await page.evaluate(async (tags) => {
      const g = globalThis as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> };
        document: unknown;
      };
      const result = await g.axe.run(g.document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
      }));
    }, AXE_TAGS);
  } finally {
    if (cdp) await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  }
}

/** Headings that skip a level (h1 then h3), in document order: screen-reader users navigate by them. */
async function skippedHeadings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ tagName: string; textContent: string | null }> } }).document;
    const out: string[] = [];
    let previous = 0;
    for (const h of Array.from(doc.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
      const level = Number(h.tagName.slice(1));
      if (level > previous + 1) out.push(`h${previous || '-'} → h${level} "${(h.textContent ?? '').trim().slice(0, 60)}"`);
      previous = level;
    }
    return out;
  });
}

/** Whether the document scrolls sideways; if so, names the elements that stick out of the viewport. */
async function sidewaysScroll(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    type El = {
      scrollWidth: number; clientWidth: number; tagName: string; className: unknown; parentElement: El | null;
      getBoundingClientRect(): { right: number };
    };
    const g = globalThis as unknown as {
      document: { documentElement: El; body: El; querySelectorAll(s: string): ArrayLike<El> };
      getComputedStyle(el: El): { overflowX: string; position: string };
    };
    const root = g.document.documentElement;
    const scrollWidth = Math.max(root.scrollWidth, g.document.body.scrollWidth);
    const culprits: string[] = [];
    if (scrollWidth > root.clientWidth) {
      // Only what sticks out of the page itself: content inside a scrolling or clipping box (a table's wrapper, the map) is fine.
      // (No named functions in here: tsx would wrap them in a __name helper the page does not have.)
      for (const el of Array.from(g.document.querySelectorAll('body *'))) {
        const right = el.getBoundingClientRect().right;
        if (right <= root.clientWidth + 0.5 || culprits.length >= 5) continue;
        // An absolutely placed box (visually hidden text) escapes a scrolling ancestor that is not its containing block.
        let clipped = false;
        const escapes = ['absolute', 'fixed'].includes(g.getComputedStyle(el).position);
        for (let a = el.parentElement; a && a !== g.document.body && !clipped; a = a.parentElement) {
          const style = g.getComputedStyle(a);
          clipped = style.overflowX !== 'visible' && (!escapes || style.position !== 'static');
        }
        if (!clipped) culprits.push(`${el.tagName.toLowerCase()}${String(el.className) ? `.${String(el.className).trim().replace(/\s+/g, '.')}` : ''} (right edge ${Math.round(right)} px)`);
      }
    }
    return { scrollWidth, clientWidth: root.clientWidth, culprits };
  });
}

/**
 * Fails the test, with a readable report, when the page breaks a rule the journeys hold every page to:
 * axe-core's WCAG 2.2 A/AA rules (target size included) at a desktop's width and again at 320 px,
 * headings that skip a level, and a document that scrolls sideways at 375 px or 320 px.
 */
export async function checkA11y(page: Page): Promise<void> {
  const url = page.url();
  const original = page.viewportSize() ?? DESKTOP;
  const desktop = await axeViolations(page);
  if (desktop.length) assert.fail(formatViolations(`${url} at ${original.width} px`, desktop));
  const skipped = await skippedHeadings(page);
  assert.deepEqual(skipped, [], `${url}: headings skip a level`);
  try {
    for (const size of [COMMON_PHONE, PHONE]) {
      await page.setViewportSize(size);
      const scroll = await sidewaysScroll(page);
      assert.ok(scroll.scrollWidth <= scroll.clientWidth,
        `${url} scrolls sideways at ${size.width} px: scrollWidth ${scroll.scrollWidth} > clientWidth ${scroll.clientWidth}; sticking out: ${scroll.culprits.join(', ')}`);
    }
    const phone = await axeViolations(page);
    if (phone.length) assert.fail(formatViolations(`${url} at ${PHONE.width} px`, phone));
  } finally {
    await page.setViewportSize(original);
  }
}


