/// <reference lib="dom" />
// Progressive enhancement: every page works without this script. Elements opt in with
// data-module="name" (several names may be given, separated by spaces).

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
};

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
