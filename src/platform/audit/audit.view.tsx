import { hasMessage, localizedText } from '../i18n/i18n.ts';
import { Table } from '../views/components.tsx';
import { Content, ContentMessage } from '../views/content.tsx';
import { useView } from '../views/context.ts';
import type { AuditRow } from './audit.subjects.ts';

export type { AuditRow } from './audit.subjects.ts';

/** A value stored as JSON, shown on one line; what arrives as a JSON string is parsed first. */
function compactJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return JSON.stringify(value);
}

function Changes({ row }: { row: AuditRow }) {
  const { t } = useView();
  const hasBefore = row.before !== null && row.before !== undefined;
  const hasAfter = row.after !== null && row.after !== undefined;
  if (!hasBefore && !hasAfter) return <>—</>;
  return (
    <details class="audit__changes">
      <summary>{t('ops.audit.showChanges')}</summary>
      {hasBefore && <><p class="audit__label">{t('ops.audit.before')}</p><pre class="audit__json"><code>{compactJson(row.before)}</code></pre></>}
      {hasAfter && <><p class="audit__label">{t('ops.audit.after')}</p><pre class="audit__json"><code>{compactJson(row.after)}</code></pre></>}
    </details>
  );
}

/** The action in words (`audit.action.<code>`, supplied by the module); a code without words says so, readably. */
function Action({ code }: { code: string }) {
  const { t } = useView();
  const key = `audit.action.${code}`;
  if (hasMessage(key)) return <>{t(key)}</>;
  return <>{t('audit.action.unknown')} <code>{code}</code></>;
}

/** "report #12 “Pothole”", linked to the subject's page where it has one. */
function Subject({ row }: { row: AuditRow }) {
  const { t, locale } = useView();
  const key = `audit.subject.${row.subject_type}`;
  const id = row.subject_id ?? '';
  const kind = hasMessage(key) ? t(key, { id }) : row.subject_id === null ? row.subject_type : t('audit.subject.unknown', { type: row.subject_type, id });
  const name = row.subject_name;
  // A name typed by someone is in the municipality's language; a name kept per locale is the page's or its fallback's.
  const shown = name === null ? null : typeof name === 'string' ? { text: name, from: row.content_locale } : (({ text, lang }) => ({ text, from: lang ?? null }))(localizedText(name, locale));
  const label = shown === null ? kind
    : <ContentMessage k="audit.subject.named" params={{ subject: kind, name: shown.text }} content={['name']} from={shown.from} />;
  return row.subject_href ? <a href={`/${locale}${row.subject_href}`}>{label}</a> : <>{label}</>;
}

/** The audit trail as a table: when, who, what, to what, and the change itself on demand. */
export function AuditTable({ rows, caption }: { rows: AuditRow[]; caption?: string }) {
  const { t, fmt } = useView();
  return (
    <Table
      caption={caption ?? t('ops.audit.caption')}
      captionHidden={!caption}
      head={[t('ops.audit.when'), t('ops.audit.who'), t('ops.audit.action'), t('ops.audit.subject'), t('ops.audit.changes')]}
      rows={rows.map((r) => [
        <time dateTime={new Date(r.created_at).toISOString()}>{fmt.dateTime(r.created_at)}</time>,
        r.actor_name ? <Content text={r.actor_name} from={r.content_locale} /> : t('ops.audit.system'),
        <Action code={r.action} />,
        <Subject row={r} />,
        <Changes row={r} />,
      ])}
    />
  );
}
