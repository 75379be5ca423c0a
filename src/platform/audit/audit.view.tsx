import { Table } from '../views/components.tsx';
import { useView } from '../views/context.ts';
import type { listAudit } from './audit.ts';

export type AuditRow = Awaited<ReturnType<typeof listAudit>>[number];

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
        r.actor_name ?? t('ops.audit.system'),
        <code>{r.action}</code>,
        r.subject_id === null ? r.subject_type : `${r.subject_type} #${r.subject_id}`,
        <Changes row={r} />,
      ])}
    />
  );
}
