import type { FastifyRequest } from 'fastify';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { SummaryList, Table } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { costTotal, lineTotal } from '../../cost.ts';
import type { CostItem } from '../../pb.tables.ts';

/** A project's cost table as the reviewer checks it: each line, the lines' sum, the author's total and the department's estimate. */
export function CostTable({ req, items, currency, authorTotal, departmentCost }: { req: FastifyRequest; items: CostItem[]; currency: string; authorTotal: number; departmentCost: number | null }) {
  const t = req.t;
  const money = (n: number) => formatMoney(req.fmt, n, currency);
  const sum = costTotal(items);
  return (
    <>
      <Table caption={t('pb.review.costs')} captionHidden numeric={[1, 3, 4]}
        head={[t('pb.review.cost.item'), t('pb.review.cost.quantity'), t('pb.review.cost.unit'), t('pb.review.cost.unitPrice'), t('pb.review.cost.lineTotal')]}
        rows={items.map((i) => [<Content text={i.item} />, req.fmt.number(i.quantity / 1000), <Content text={i.unit} />, money(i.unitPrice), money(lineTotal(i))])} />
      <SummaryList items={[
        [t('pb.review.authorTotal'), <>{money(authorTotal)}{sum !== authorTotal && <> ({t('pb.review.linesSum', { sum: money(sum) })})</>}</>],
        [t('pb.review.field.departmentCost'), departmentCost === null ? t('pb.review.noEstimate') : money(departmentCost)],
      ]} />
    </>
  );
}
