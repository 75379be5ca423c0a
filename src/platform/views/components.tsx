import type { ComponentChildren } from 'preact';
import { ONCE_FIELD, newOnceKey } from '../idempotency/field.ts';
import { useFieldLabel, useView } from './context.ts';

/** Field messages by field name, already translated. */
export type FormErrors = Record<string, string>;
export type FormValues = Record<string, unknown>;

/** A POST form that carries the CSRF token (and, with `once`, an idempotency key); works without JavaScript. */
export function Form(props: { action: string; children: ComponentChildren; multipart?: boolean; class?: string; id?: string; 'aria-label'?: string; once?: boolean }) {
  const { csrfToken } = useView();
  return (
    <form method="post" action={props.action} class={props.class} id={props.id} aria-label={props['aria-label']}
      enctype={props.multipart ? 'multipart/form-data' : undefined} novalidate>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {/* A create form's idempotency key, new on every rendering: a double click or a resend makes one record. */}
      {props.once && <input type="hidden" name={ONCE_FIELD} value={newOnceKey()} />}
      {props.children}
    </form>
  );
}

/** The list of problems at the top of a form, each linking to its field (GOV.UK pattern). */
export function ErrorSummary({ errors }: { errors?: FormErrors | undefined }) {
  const { t } = useView();
  const entries = Object.entries(errors ?? {});
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} data-module="focus">
      <h2 class="error-summary__title">{t('platform.form.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}><a href={`#f-${field}`}>{message}</a></li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  errors?: FormErrors | undefined;
  values?: FormValues | undefined;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'url' | 'text' | 'search';
  maxLength?: number;
  value?: string | number | undefined;
}

/** A labelled input with its hint and error message tied to it for screen readers. */
export function Field(p: FieldProps) {
  useFieldLabel(p.name, p.label);
  const error = p.errors?.[p.name];
  const id = `f-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const raw = p.value ?? p.values?.[p.name];
  const value = p.type === 'password' || raw === undefined || raw === null ? undefined : String(raw);
  const common = {
    id, name: p.name, 'aria-describedby': describedBy, 'aria-invalid': error ? ('true' as const) : undefined,
    required: p.required, autocomplete: p.autocomplete, maxLength: p.maxLength,
    class: `input${error ? ' input--error' : ''}`,
  };
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id} class="field__label">{p.label}</label>
      {p.hint && <p id={`${id}-hint`} class="field__hint">{p.hint}</p>}
      {error && <p id={`${id}-error`} class="field__error"><span class="visually-hidden">{useView().t('platform.form.errorPrefix')} </span>{error}</p>}
      {p.multiline
        ? <textarea {...common} rows={p.rows ?? 6}>{value}</textarea>
        : <input {...common} type={(p.type ?? 'text') as 'text'} value={value} inputMode={p.inputMode} />}
    </div>
  );
}

/** A labelled file input with its hint and error, as the other fields. */
export function FileField(p: { name: string; label: string; accept: string; hint?: string; errors?: FormErrors | undefined }) {
  useFieldLabel(p.name, p.label);
  const error = p.errors?.[p.name];
  const id = `f-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id} class="field__label">{p.label}</label>
      {p.hint && <p id={`${id}-hint`} class="field__hint">{p.hint}</p>}
      {error && <p id={`${id}-error`} class="field__error">{error}</p>}
      <input id={id} name={p.name} type="file" accept={p.accept} class="input" aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
}

/** A labelled select list. */
export function Select(p: { name: string; label: string; options: { value: string; label: string }[]; value?: string | undefined; errors?: FormErrors | undefined; hint?: string }) {
  useFieldLabel(p.name, p.label);
  const error = p.errors?.[p.name];
  const id = `f-${p.name}`;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id} class="field__label">{p.label}</label>
      {p.hint && <p id={`${id}-hint`} class="field__hint">{p.hint}</p>}
      {error && <p id={`${id}-error`} class="field__error">{error}</p>}
      <select id={id} name={p.name} class="input" aria-describedby={error ? `${id}-error` : p.hint ? `${id}-hint` : undefined}>
        {p.options.map((o) => <option key={o.value} value={o.value} selected={o.value === p.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** A select of a GET filter form: its first option, empty, means no filter. */
export function FilterSelect(p: { name: string; label: string; anyLabel: string; options: { value: string; label: string }[]; value: string | undefined }) {
  return (
    <div class="field">
      <label class="field__label" for={`f-${p.name}`}>{p.label}</label>
      <select class="input" id={`f-${p.name}`} name={p.name}>
        <option value="">{p.anyLabel}</option>
        {p.options.map((o) => <option key={o.value} value={o.value} selected={o.value === p.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** A group of checkboxes under one legend. */
export function Checkboxes(p: { name: string; legend: string; options: { value: string; label: string }[]; checked: string[]; hint?: string; errors?: FormErrors | undefined }) {
  useFieldLabel(p.name, p.legend);
  const error = p.errors?.[p.name];
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} id={`f-${p.name}`}>
      <legend class="field__label">{p.legend}</legend>
      {p.hint && <p class="field__hint">{p.hint}</p>}
      {error && <p class="field__error">{error}</p>}
      {p.options.map((o) => (
        <div class="checkbox" key={o.value}>
          <input type="checkbox" id={`f-${p.name}-${o.value}`} name={p.name} value={o.value} checked={p.checked.includes(o.value)} />
          <label for={`f-${p.name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function Button(p: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'danger'; type?: 'submit' | 'button'; name?: string; value?: string }) {
  return <button type={p.type ?? 'submit'} class={`button button--${p.variant ?? 'primary'}`} name={p.name} value={p.value}>{p.children}</button>;
}

export function ButtonLink(p: { href: string; children: ComponentChildren; variant?: 'primary' | 'secondary' }) {
  return <a href={p.href} class={`button button--${p.variant ?? 'primary'}`}>{p.children}</a>;
}

/** A data table with a caption (visible or for screen readers only). */
export function Table(p: { caption: string; captionHidden?: boolean; head: ComponentChildren[]; rows: ComponentChildren[][]; numeric?: number[] }) {
  return (
    <div class="table-wrap" role="region" aria-label={p.caption} tabIndex={0}>
      <table class="table">
        <caption class={p.captionHidden ? 'visually-hidden' : 'table__caption'}>{p.caption}</caption>
        <thead><tr>{p.head.map((h, i) => <th scope="col" key={i} class={p.numeric?.includes(i) ? 'num' : undefined}>{h}</th>)}</tr></thead>
        <tbody>
          {p.rows.map((row, r) => (
            <tr key={r}>{row.map((cell, i) => <td key={i} class={p.numeric?.includes(i) ? 'num' : undefined}>{cell}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Page links; `hrefFor(n)` builds the link of page n. */
export function Pagination(p: { page: number; pages: number; hrefFor: (n: number) => string }) {
  const { t } = useView();
  if (p.pages <= 1) return null;
  const nums = [...new Set([1, p.page - 1, p.page, p.page + 1, p.pages])].filter((n) => n >= 1 && n <= p.pages).sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label={t('platform.pagination.label')}>
      {p.page > 1 && <a href={p.hrefFor(p.page - 1)} rel="prev">{t('platform.pagination.previous')}</a>}
      <ul>
        {nums.map((n) => (
          <li key={n}>{n === p.page
            ? <span aria-current="page">{t('platform.pagination.page', { n })}</span>
            : <a href={p.hrefFor(n)}>{t('platform.pagination.page', { n })}</a>}</li>
        ))}
      </ul>
      {p.page < p.pages && <a href={p.hrefFor(p.page + 1)} rel="next">{t('platform.pagination.next')}</a>}
    </nav>
  );
}

export function Tag(p: { children: ComponentChildren; tone?: 'neutral' | 'success' | 'warning' | 'danger' | 'info' }) {
  return <strong class={`tag tag--${p.tone ?? 'neutral'}`}>{p.children}</strong>;
}

/** A message box; `focus` (the flash after an action) takes focus on load, so it is read out and in view. */
export function Banner(p: { kind: 'success' | 'info' | 'warning' | 'error'; children: ComponentChildren; title?: string; focus?: boolean }) {
  return (
    <div class={`banner banner--${p.kind}`} role={p.kind === 'error' ? 'alert' : 'status'}
      tabIndex={p.focus ? -1 : undefined} data-module={p.focus ? 'focus' : undefined}>
      {p.title && <p class="banner__title">{p.title}</p>}
      <div>{p.children}</div>
    </div>
  );
}

export function Card(p: { title: ComponentChildren; href?: string; children?: ComponentChildren; headingLevel?: 2 | 3 }) {
  const H = p.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <article class="card">
      <H class="card__title">{p.href ? <a href={p.href}>{p.title}</a> : p.title}</H>
      {p.children}
    </article>
  );
}

/** A labelled progress bar with its value in words for screen readers. */
export function ProgressBar(p: { value: number; max: number; label: string }) {
  const pct = p.max > 0 ? Math.min(100, Math.round((p.value / p.max) * 100)) : 0;
  return (
    <div class="progress">
      <div class="progress__label">{p.label}</div>
      <div class="progress__track" role="progressbar" aria-valuemin={0} aria-valuemax={p.max} aria-valuenow={Math.min(p.value, p.max)} aria-label={p.label}>
        <div class="progress__bar" style={`width:${pct}%`} />
      </div>
    </div>
  );
}

export function EmptyState(p: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty__title">{p.title}</p>
      {p.children}
    </div>
  );
}

/** A definition list of label/value pairs. */
export function SummaryList(p: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="summary">
      {p.items.map(([k, v], i) => (
        <div class="summary__row" key={i}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

/**
 * A name in each language (English required) and a slug: the fields `localizedNames()` reads back.
 * A slug that may no longer change (it is in every address) is carried along hidden.
 */
export function NameFields({ fixedSlug, ...p }: { errors?: FormErrors | undefined; values?: FormValues | undefined; fixedSlug?: boolean }) {
  const { t } = useView();
  return (
    <>
      <Field name="nameUk" label={t('field.nameUk')} {...p} />
      <Field name="nameSrCyrl" label={t('field.nameSrCyrl')} {...p} />
      <Field name="nameSrLatn" label={t('field.nameSrLatn')} {...p} />
      <Field name="namePl" label={t('field.namePl')} {...p} />
      <Field name="nameEn" label={t('field.nameEn')} required {...p} />
      {fixedSlug
        ? <input type="hidden" name="slug" value={String(p.values?.slug ?? '')} />
        : <Field name="slug" label={t('field.slug')} hint={t('admin.slugHint')} required {...p} />}
    </>
  );
}
