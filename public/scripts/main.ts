/// <reference lib="dom" />
// Progressive enhancement: every page works without this script. Elements opt in with
// data-module="name" (several names may be given, separated by spaces).

import { lineTotal, parseQuantity } from '../../src/modules/participatory-budget/cost.ts';
import { MINOR_PER_MAJOR, parseMoney } from '../../src/platform/i18n/money.ts';

type Behaviour = (el: HTMLElement) => void;

const behaviours: Record<string, Behaviour> = {
  /** Moves focus to the element on load (the error summary), so it is announced and in view. */
  focus(el) {
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus();
  },

  /** Asks for confirmation before a form (or a submit button) submits. */
  confirm(el) {
    const message = el.dataset.confirm;
    if (!message) return;
    const ask = (event: Event): void => {
      if (!window.confirm(message)) event.preventDefault();
    };
    if (el instanceof HTMLFormElement) el.addEventListener('submit', ask);
    else el.addEventListener('click', ask);
  },

  /**
   * Refreshes a piece of the page from `data-src` (the server renders it, in the page's language) every
   * `data-interval` ms, default 10 s with a little jitter so a crowd of open pages does not poll in step;
   * paused while the tab is hidden, stopped when the piece is gone (404) or no longer live.
   */
  'live-count'(el) {
    const src = el.dataset.src;
    if (!src) return;
    const every = Number(el.dataset.interval) || 10_000;
    let timer = 0;
    const schedule = (): void => {
      timer = window.setTimeout(refresh, every * (0.9 + Math.random() * 0.2));
    };
    const refresh = async (): Promise<void> => {
      if (document.visibilityState === 'hidden') return schedule();
      try {
        const res = await fetch(src, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        if (res.status === 404) return;
        if (res.ok) {
          const next = new DOMParser().parseFromString(await res.text(), 'text/html').body.firstElementChild;
          if (next instanceof HTMLElement) {
            el.innerHTML = next.innerHTML;
            if (next.dataset.module !== 'live-count') return;
          }
        }
      } catch {
        // Offline for a moment: try again at the next turn.
      }
      schedule();
    };
    schedule();
    window.addEventListener('pagehide', () => window.clearTimeout(timer));
  },

  /** A map of the points of `data-geojson` (Leaflet, loaded on demand): `data-bundle` and `data-style` name the map bundle. */
  'points-map'(el) {
    el.hidden = false;
    void loadMap(el).then((m) => m?.mountPointsMap(el));
  },

  /** A map that fills the latitude and longitude fields named by `data-lat` and `data-lng`. */
  'place-picker'(el) {
    el.hidden = false;
    void loadMap(el).then((m) => m?.mountPlacePicker(el));
  },

  /** Submits the select's form as soon as its value changes. */
  autosubmit(el) {
    if (!(el instanceof HTMLSelectElement)) return;
    el.addEventListener('change', () => {
      const form = el.form;
      if (!form) return;
      if (typeof form.requestSubmit === 'function') form.requestSubmit();
      else form.submit();
    });
  },

  /**
   * A cost table's line totals and total, recomputed as quantities and unit prices are typed, with the server's
   * own parsing and rounding (the server checks the total again on saving); `data-locale` and `data-currency`
   * format them as the page does. The total is announced politely when it changes.
   */
  'cost-table'(el) {
    const format = new Intl.NumberFormat(el.dataset.locale, { style: 'currency', currency: el.dataset.currency });
    const show = (minor: number) => format.format(minor / MINOR_PER_MAJOR);
    const totalCell = el.querySelector<HTMLElement>('[data-total]');
    totalCell?.setAttribute('aria-live', 'polite');
    const value = (row: Element, prefix: string) => row.querySelector<HTMLInputElement>(`input[name^="${prefix}_"]`)?.value ?? '';
    el.addEventListener('input', () => {
      let total = 0;
      for (const row of el.querySelectorAll('tbody tr')) {
        const quantity = parseQuantity(value(row, 'qty'));
        const unitPrice = parseMoney(value(row, 'price'));
        const line = quantity !== undefined && unitPrice !== undefined ? lineTotal({ quantity, unitPrice }) : null;
        const cell = row.querySelector('[data-line-total]');
        if (cell) cell.textContent = line === null ? '—' : show(line);
        // The total counts the lines the server would save: those that name their item.
        if (value(row, 'item').trim() !== '') total += line ?? 0;
      }
      if (totalCell) totalCell.textContent = show(total);
    });
  },

  /** Sends a form on at once (a SAML request posted to the identity provider); its button does the same without script. */
  'submit-now'(el) {
    if (el instanceof HTMLFormElement) el.submit();
  },
};

type MapModule = typeof import('./map.ts');

/** Loads the map bundle and its stylesheet once, for every map of the page. */
let mapModule: Promise<MapModule | null> | null = null;
function loadMap(el: HTMLElement): Promise<MapModule | null> {
  mapModule ??= (async () => {
    if (!el.dataset.bundle) return null;
    if (el.dataset.style) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = el.dataset.style;
      document.head.append(link);
    }
    try {
      return (await import(el.dataset.bundle)) as MapModule;
    } catch (error) {
      console.error('the map could not be loaded', error);
      return null;
    }
  })();
  return mapModule;
}

function start(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-module]')) {
    for (const name of (el.dataset.module ?? '').split(/\s+/)) {
      const behaviour = name ? behaviours[name] : undefined;
      if (!behaviour) continue;
      try {
        behaviour(el);
      } catch (error) {
        console.error(`data-module="${name}" failed`, error);
      }
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
