import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { createOnce, onceKey } from '../../../platform/idempotency/once.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { localizedNames, namesFrom } from '../../../platform/tenancy/municipality.schemas.ts';
import { Button, ErrorSummary, Form, NameFields, Table } from '../../../platform/views/components.tsx';
import { insertCategory, listCategories } from '../petition.repo.ts';
import { guard, staffBase, StaffNav } from './nav.tsx';

const CategorySchema = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), ...localizedNames(120) });

/** Petition categories of a municipality, named in every language. */
export function registerCategoryPages(app: App, deps: Deps): void {
  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/staff/categories',
    schema: CategorySchema,
    title: (req) => req.t('petitions.staff.categories'),
    guard: guard(deps, 'petitions.categories'),
    view: async (req, { errors, values }) => {
      const list = await listCategories(deps.db, req.municipality!.id);
      const f = { errors, values };
      const t = req.t;
      return (
        <>
          <h1>{t('petitions.staff.categories')}</h1>
          <StaffNav req={req} />
          <Table caption={t('petitions.staff.categories')} captionHidden head={[t('field.nameEn'), t('field.slug')]}
            rows={list.map((c) => [localized(c.names, req.locale), c.slug])} />
          <h2>{t('petitions.staff.addCategory')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={`${staffBase(req)}/categories`} once>
            <NameFields {...f} />
            <Button>{t('petitions.staff.addCategory')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const m = req.municipality!;
      // The slug is checked after the claim: a resend is answered "added", not "slug taken".
      const added = await createOnce(deps.db, onceKey(req), 'petitions.category', async (trx) => {
        const position = (await listCategories(trx, m.id)).length;
        const id = await insertCategory(trx, { municipality_id: m.id, slug: v.slug, names: namesFrom(v), position });
        if (id) await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: 'petitions.category.add', subjectType: 'petition_category', subjectId: id, after: { slug: v.slug, names: namesFrom(v) }, ip: req.ip });
        return id;
      }, Boolean);
      if (!added) return { slug: req.t('petitions.staff.slugTaken') };
      return redirectWithFlash(reply, `${staffBase(req)}/categories`, { kind: 'success', message: req.t('petitions.staff.categoryAdded') });
    },
  });
}
