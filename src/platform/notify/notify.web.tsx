import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { render } from '../http/render.tsx';
import { redirectToSignIn } from '../http/request-context.ts';
import { Button, EmptyState, Form, Pagination, Tag } from '../views/components.tsx';
import { ContentMessage } from '../views/content.tsx';
import { countNotifications, listNotifications, markAllRead, unreadCount } from './notify.repo.ts';
import { CONTENT_PARAMS, notificationKinds, notificationSettings, saveNotificationSettings, type NotificationSetting } from './notify.service.ts';
import { Query, Page } from '../http/input.ts';

const PER_PAGE = 20;

type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

/** The page number of the query string (the route's schema makes it a bounded integer), page 1 without one. */
const pageParam = (req: FastifyRequest): number => (req.query as { page?: number } | undefined)?.page ?? 1;

function NotificationItem({ req, n }: { req: FastifyRequest; n: NotificationRow }) {
  const params = (n.params ?? {}) as Record<string, string | number>;
  const message = (part: 'title' | 'body') => <ContentMessage k={`notify.${n.kind}.${part}`} params={params} content={CONTENT_PARAMS} from={n.content_locale} />;
  const title = message('title');
  const unread = !n.read_at;
  return (
    <li class={`notification${unread ? ' notification--unread' : ''}`}>
      <h2 class="notification__title">
        {n.link ? <a href={`/${req.locale}${n.link}`}>{title}</a> : title}
        {unread && <>{' '}<Tag tone="info">{req.t('notify.list.unread')}</Tag></>}
      </h2>
      <p>{message('body')}</p>
      <p class="muted"><time dateTime={new Date(n.created_at).toISOString()}>{req.fmt.dateTime(n.created_at)}</time></p>
    </li>
  );
}

/** Collects the checked boxes of the settings form: `inApp` and `email` each repeat with a kind as value. */
function settingsFromBody(body: unknown, kinds: string[]): NotificationSetting[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const checked = (name: string) => new Set(([] as unknown[]).concat(b[name] ?? []).filter((v): v is string => typeof v === 'string'));
  const inApp = checked('inApp');
  const email = checked('email');
  return kinds.map((kind) => ({ kind, inApp: inApp.has(kind), email: email.has(kind) }));
}

function SettingsForm({ req, settings }: { req: FastifyRequest; settings: NotificationSetting[] }) {
  const t = req.t;
  return (
    <Form action={`/${req.locale}/account/notifications/settings`} aria-label={t('notify.settings.title')}>
      {settings.map((s) => {
        const id = `f-${s.kind.replace(/[^A-Za-z0-9-]/g, '-')}`;
        return (
          <fieldset class="field" key={s.kind}>
            <legend class="field__label">{t(`notify.${s.kind}.setting`)}</legend>
            <div class="checkbox">
              <input type="checkbox" id={`${id}-inApp`} name="inApp" value={s.kind} checked={s.inApp} />
              <label for={`${id}-inApp`}>{t('notify.settings.inApp')}</label>
            </div>
            <div class="checkbox">
              <input type="checkbox" id={`${id}-email`} name="email" value={s.kind} checked={s.email} />
              <label for={`${id}-email`}>{t('notify.settings.email')}</label>
            </div>
          </fieldset>
        );
      })}
      <Button>{t('notify.settings.save')}</Button>
    </Form>
  );
}

/** The signed-in user's notifications and their notification settings. */
export function registerNotificationPages(app: App, deps: Deps): void {
  app.get('/:locale/account/notifications', { schema: { hide: true, querystring: Query({ page: Page }) } }, async (req, reply) => {
    const user = req.user;
    if (!user) return redirectToSignIn(req, reply);
    const t = req.t;
    const total = await countNotifications(deps.db, user.id);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const page = Math.min(pageParam(req), pages);
    const [rows, unread] = await Promise.all([
      listNotifications(deps.db, user.id, PER_PAGE, (page - 1) * PER_PAGE),
      unreadCount(deps.db, user.id),
    ]);
    const base = `/${req.locale}/account/notifications`;
    return render(deps, req, reply, {
      title: t('notify.list.title'),
      body: (
        <>
          <div class="page-header">
            <h1>{t('notify.list.title')}</h1>
            <p class="lead">{t('notify.list.lead')}</p>
            {total > 0 && <p>{t('notify.list.unreadCount', { count: unread })}</p>}
          </div>
          {unread > 0 && (
            <Form action={`${base}/read`}>
              <Button variant="secondary">{t('notify.list.markRead')}</Button>
            </Form>
          )}
          {rows.length === 0
            ? <EmptyState title={t('notify.list.empty')}><p>{t('notify.list.emptyHint')}</p></EmptyState>
            : <ul class="notifications">{rows.map((n) => <NotificationItem key={n.id} req={req} n={n} />)}</ul>}
          <Pagination page={page} pages={pages} hrefFor={(n) => `${base}?page=${n}`} />
          <p><a href={`${base}/settings`}>{t('notify.list.settingsLink')}</a></p>
        </>
      ),
    });
  });

  app.post('/:locale/account/notifications/read', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    await markAllRead(deps.db, req.user.id);
    return redirectWithFlash(reply, `/${req.locale}/account/notifications`, { kind: 'success', message: req.t('notify.list.markedRead') });
  });

  const showSettings = async (req: FastifyRequest, reply: FastifyReply) => {
    const settings = await notificationSettings(deps.db, req.user!.id);
    return render(deps, req, reply, {
      title: req.t('notify.settings.title'),
      body: (
        <>
          <h1>{req.t('notify.settings.title')}</h1>
          <p class="lead">{req.t('notify.settings.lead')}</p>
          <SettingsForm req={req} settings={settings} />
          <p><a href={`/${req.locale}/account/notifications`}>{req.t('notify.settings.back')}</a></p>
        </>
      ),
    });
  };

  app.get('/:locale/account/notifications/settings', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    return showSettings(req, reply);
  });

  app.post('/:locale/account/notifications/settings', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const settings = settingsFromBody(req.body, notificationKinds());
    await saveNotificationSettings(deps.db, req.user.id, settings);
    return redirectWithFlash(reply, `/${req.locale}/account/notifications/settings`, { kind: 'success', message: req.t('notify.settings.saved') });
  });
}
