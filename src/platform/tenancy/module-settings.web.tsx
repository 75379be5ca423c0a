import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { render } from '../http/render.tsx';
import { enabledModules } from '../modules-registry.ts';
import { moduleSettings, SettingsFields } from '../module-settings.tsx';
import type { ModuleManifest } from '../module.ts';
import { Button, ErrorSummary, Form, type FormErrors, type FormValues } from '../views/components.tsx';
import { AdminNav, requirePermission } from './admin.web.tsx';
import { saveModuleSettings } from './admin.service.ts';

/** Per-municipality settings of each enabled module, generated from the module's settings schema. */
export function registerModuleSettingsPages(app: App, deps: Deps): void {
  const find = (req: FastifyRequest): ModuleManifest | undefined => {
    const { module } = req.params as { module: string };
    return enabledModules(req.municipality!).find((m) => m.id === module && m.settings);
  };

  const show = (req: FastifyRequest, reply: FastifyReply, mod: ModuleManifest, errors: FormErrors, values: FormValues, status = 200) => {
    const title = req.t('admin.moduleSettings', { module: req.t(mod.nameKey) });
    return render(deps, req, reply, {
      title, status,
      body: (
        <>
          <h1>{title}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={errors} />
          <Form action={`/${req.locale}/${req.municipality!.slug}/admin/modules/${mod.id}`}>
            <SettingsFields req={req} moduleId={mod.id} schema={mod.settings!} values={values} errors={errors} />
            <Button>{req.t('admin.save')}</Button>
          </Form>
        </>
      ),
    });
  };

  app.get('/:locale/:municipality/admin/modules/:module', { schema: { hide: true } }, async (req, reply) => {
    const stop = requirePermission(deps, req, reply, 'municipality.manage', { municipalityId: req.municipality!.id });
    if (stop) return stop;
    const mod = find(req);
    if (!mod) return reply.callNotFound();
    return show(req, reply, mod, {}, moduleSettings(req.municipality!, mod.id, mod.settings!) as FormValues);
  });

  app.post('/:locale/:municipality/admin/modules/:module', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const stop = requirePermission(deps, req, reply, 'municipality.manage', { municipalityId: m.id });
    if (stop) return stop;
    const mod = find(req);
    if (!mod) return reply.callNotFound();
    const parsed = parseBody(mod.settings!, req.body, req.t);
    if (!parsed.ok) return show(req, reply, mod, parsed.errors, parsed.values, 400);
    await saveModuleSettings(deps, { id: req.user!.id, ip: req.ip }, m, mod.id, parsed.value as Record<string, unknown>);
    return redirectWithFlash(reply, `/${req.locale}/${m.slug}/admin/modules/${mod.id}`, { kind: 'success', message: req.t('admin.saved') });
  });
}
