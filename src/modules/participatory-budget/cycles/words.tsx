import type { FastifyRequest } from 'fastify';
import { localized } from '../../../platform/i18n/i18n.ts';
import { formatMoney } from '../../../platform/i18n/money.ts';
import { Table } from '../../../platform/views/components.tsx';
import { Name } from '../../../platform/views/content.tsx';
import type { LocalizedText } from '../../../db/schema.ts';
import type { Category, Cycle } from '../pb.tables.ts';

/** What a ballot may hold under the cycle's rule, in sentences a resident reads before voting. */
export function RuleInWords({ req, cycle }: { req: FastifyRequest; cycle: Cycle }) {
  const t = req.t;
  const lines = cycle.rule === 'approval'
    ? [
      cycle.max_choices !== null ? t('pb.rule.approval', { max: cycle.max_choices }) : null,
      cycle.max_per_category !== null ? t('pb.rule.perCategory', { max: cycle.max_per_category }) : null,
      cycle.min_choices !== null ? t('pb.rule.minChoices', { min: cycle.min_choices }) : null,
    ]
    : [t('pb.rule.knapsack'), cycle.min_share_pct !== null ? t('pb.rule.minShare', { pct: cycle.min_share_pct }) : null];
  return (
    <ul>
      {[...lines, t(cycle.ballot_changes ? 'pb.rule.changeable' : 'pb.rule.final')].filter(Boolean).map((l) => <li key={l}>{l}</li>)}
    </ul>
  );
}

/** Who may submit a project and who may vote: verification level, age and whose word on it counts, district categories. */
export function EligibilityInWords({ req, cycle, categories, districts }: { req: FastifyRequest; cycle: Cycle; categories: Category[]; districts: Map<number, LocalizedText> }) {
  const t = req.t;
  const district = categories.filter((c) => c.district_id !== null);
  return (
    <ul>
      <li>{t('pb.eligibility.submit', { level: t(`verification.level.${cycle.submit_level}`) })}</li>
      <li>{t('pb.eligibility.vote', { level: t(`verification.level.${cycle.vote_level}`) })}</li>
      {cycle.min_age !== null && <li>{t('pb.eligibility.age', { age: cycle.min_age, source: cycle.age_source })}</li>}
      {district.length > 0 && (
        <li>{t('pb.eligibility.districts')}
          <ul>{district.map((c) => <li key={c.id}><Name names={c.names} />: <Name names={districts.get(c.district_id!) ?? {}} /></li>)}</ul>
        </li>
      )}
    </ul>
  );
}

/** The money of a cycle per category, with each category's cost limits and district. */
export function CategoryAmounts({ req, cycle, categories, districts }: { req: FastifyRequest; cycle: Cycle; categories: Category[]; districts: Map<number, LocalizedText> }) {
  const t = req.t;
  const money = (n: number) => formatMoney(req.fmt, n, cycle.currency);
  return (
    <Table caption={t('pb.cycle.amounts')} captionHidden
      head={[t('pb.categories.field.name'), t('pb.categories.field.amount'), t('pb.categories.field.minCost'), t('pb.categories.field.maxCost'), t('pb.categories.field.districtId')]}
      numeric={[1, 2, 3]}
      rows={categories.map((c) => [localized(c.names, req.locale), money(c.amount), money(c.min_cost), money(c.max_cost),
        c.district_id === null ? t('pb.categories.wholeMunicipality') : localized(districts.get(c.district_id) ?? {}, req.locale)])} />
  );
}
