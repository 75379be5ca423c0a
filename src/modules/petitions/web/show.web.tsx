import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { render, renderFragment } from '../../../platform/http/render.tsx';
import { notFound } from '../../../platform/http/errors.tsx';
import { Content, ContentBlock, Name, contentText } from '../../../platform/views/content.tsx';
import { fileUrl } from '../../../platform/files/uploads.ts';
import { meetsLevel } from '../../../platform/auth/current-user.ts';
import { Banner, Button, Form, Pagination, SummaryList, Table } from '../../../platform/views/components.tsx';
import { can } from '../../../platform/tenancy/policy.ts';
import { LevelSteps } from '../../../platform/views/level.tsx';
import { listEvents, listFiles, type PetitionRow } from '../petition.repo.ts';
import { collecting } from '../petition.status.ts';
import { petitionSettings } from '../petition.settings.ts';
import { SignatureProgress, StatusTag } from '../petition.views.tsx';
import { countSignatures, findSignature, listInvalidations, listSignatories } from '../signature.repo.ts';
import { canSee, initials, loadPetition, petitionPath } from './common.tsx';
import { excerpt } from '../../../platform/views/head.tsx';
import { Query, Page } from '../../../platform/http/input.ts';

const SIGNATORIES_PER_PAGE = 50;

function signerName(req: FastifyRequest, s: { full_name: string; deleted_at: Date | null }) {
  if (s.deleted_at) return req.t('petitions.web.anonymised');
  return petitionSettings(req.municipality!).signatoryNames === 'initials' ? initials(s.full_name) : s.full_name;
}

/** Drafts and petitions in moderation show no count. */
const hasProgress = (p: PetitionRow) => p.status !== 'draft' && p.status !== 'moderation';

async function SignBox({ deps, req, p }: { deps: Deps; req: FastifyRequest; p: PetitionRow }) {
  const t = req.t;
  const path = petitionPath(req, p.number);
  if (!collecting(p)) return null;
  const mine = req.user ? await findSignature(deps.db, p, req.user.id) : undefined;
  if (mine) {
    return (
      <Banner kind="success" title={t('petitions.web.youSigned')}>
        <p><a href={`${path}/receipt`}>{t('petitions.web.seeReceipt')}</a></p>
      </Banner>
    );
  }
  const required = petitionSettings(req.municipality!).signLevel;
  if (req.user && meetsLevel(req.user, req.municipality!, required)) {
    return <div class="sign-box"><Form action={`${path}/sign`}><Button>{p.status === 'supporters' ? t('petitions.web.cosign') : t('petitions.web.sign')}</Button></Form></div>;
  }
  // No button that leads nowhere: who cannot sign yet is told here what they lack and whom to ask.
  return (
    <section class="sign-box" aria-labelledby="sign-needs">
      <h2 id="sign-needs">{t('petitions.web.signNeedsTitle')}</h2>
      <p>{t('petitions.web.level.needs.sign', { level: t(`verification.level.${required}`) })}</p>
      <LevelSteps req={req} required={required} />
    </section>
  );
}

function shareLinks(url: string, title: string) {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(title);
  return [
    ['E-mail', `mailto:?subject=${text}&body=${u}`],
    ['Facebook', `https://www.facebook.com/sharer/sharer.php?u=${u}`],
    ['Telegram', `https://t.me/share/url?url=${u}&text=${text}`],
    ['X', `https://x.com/intent/post?url=${u}&text=${text}`],
  ] as const;
}

/** The petition page and its paged list of signatories. */
export function registerShowPages(app: App, deps: Deps): void {
  // The progress bar alone, refreshed by the page's script (data-module="live-count") during a rush.
  app.get('/:locale/:municipality/petitions/:number/progress', { schema: { hide: true } }, async (req, reply) => {
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    if (!hasProgress(p)) return notFound(deps, req, reply);
    const count = await countSignatures(deps.db, p.id);
    const everyone = canSee(null, req.municipality!, p);
    return renderFragment(req, reply, <SignatureProgress count={count} threshold={p.threshold} closesAt={p.closes_at} status={p.status} liveSrc={`${petitionPath(req, p.number)}/progress`} />, everyone ? 1 : null);
  });

  app.get('/:locale/:municipality/petitions/:number', { schema: { hide: true } }, async (req, reply) => {
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    const m = req.municipality!;
    const t = req.t;
    const path = petitionPath(req, p.number);
    const [count, events, files, latest, invalidations] = await Promise.all([
      countSignatures(deps.db, p.id), listEvents(deps.db, p.id), listFiles(deps.db, p.id),
      listSignatories(deps.db, p.id, 10, 0), listInvalidations(deps.db, p.id),
    ]);
    const fmt = (d: Date | null) => (d ? req.fmt.date(d) : '—');
    const own = req.user?.id === p.author_id;
    const staff = can(req.user, 'petitions.moderate', { municipalityId: m.id });
    const official = can(req.user, 'petitions.respond', { municipalityId: m.id });
    const url = `${deps.config.baseUrl}${path}`;
    const facts: [string, preact.ComponentChildren][] = [
      [t('petitions.web.author'), p.author_name ? <Content text={p.author_name} /> : t('petitions.web.anonymised')],
      [t('petitions.web.status'), <StatusTag status={p.status} />],
    ];
    if (p.category_names) facts.push([t('petitions.web.category'), <Name names={p.category_names} />]);
    if (p.published_at) facts.push([t('petitions.web.published'), fmt(p.published_at)]);
    if (p.closes_at) facts.push([t('petitions.web.closes'), fmt(p.closes_at)]);
    if (p.threshold_reached_at) facts.push([t('petitions.web.thresholdReached'), fmt(p.threshold_reached_at)]);
    if (p.response_due_at && !p.answered_at) facts.push([t('petitions.web.responseDue'), fmt(p.response_due_at)]);
    if (p.answered_at) facts.push([t('petitions.web.answered'), fmt(p.answered_at)]);
    return render(deps, req, reply, {
      title: contentText(req, p.title),
      meta: { description: excerpt(p.body), og: 'article', feeds: [{ href: `${path}/feed.atom`, title: t('petitions.web.feed') }] },
      body: (
        <article class="petition">
          <p class="petition__number">{t('petitions.number', { number: p.number })}</p>
          <h1><Content text={p.title} /></h1>
          {p.status === 'draft' && own && (
            <Banner kind="info" title={t('petitions.web.draftTitle')}>
              <p>{t('petitions.web.draftHint')}</p>
              <p class="actions"><a href={`${path}/edit`}>{t('petitions.web.edit')}</a> <a href={`${path}/submit`}>{t('petitions.web.previewSubmit')}</a></p>
            </Banner>
          )}
          {p.status === 'supporters' && (
            <Banner kind="info" title={t('petitions.web.supportersTitle')}>
              <p>{t('petitions.web.supportersHint', { count, needed: p.supporters_needed })}</p>
              {own && <p>{t('petitions.web.supportersShare', { url })}</p>}
            </Banner>
          )}
          {p.status === 'moderation' && <Banner kind="info">{t('petitions.web.inModeration', { date: fmt(p.moderation_due_at) })}</Banner>}
          {(staff || official) && (
            <p class="actions">
              {staff && p.status === 'moderation' && <a href={`${path}/moderate`}>{t('petitions.web.moderate')}</a>}
              {official && p.status === 'awaiting_response' && <a href={`${path}/respond`}>{t('petitions.web.respond')}</a>}
              {can(req.user, 'petitions.close', { municipalityId: m.id }) && ['open', 'answered'].includes(p.status) && <a href={`${path}/close`}>{t('petitions.web.close')}</a>}
              {can(req.user, 'petitions.antifraud', { municipalityId: m.id }) && count > 0 && <a href={`${path}/invalidate`}>{t('petitions.web.invalidate')}</a>}
            </p>
          )}
          <SummaryList items={facts} />
          {hasProgress(p) && <SignatureProgress count={count} threshold={p.threshold} closesAt={p.closes_at} status={p.status} liveSrc={`${path}/progress`} />}
          {await SignBox({ deps, req, p })}
          <h2>{t('petitions.web.text')}</h2>
          <ContentBlock class="petition__body" text={p.body} />
          {files.length > 0 && (
            <>
              <h2>{t('petitions.web.attachments')}</h2>
              <ul>{files.map((f) => <li key={f.id}><a href={fileUrl(f.id)}>{f.original_name}</a> ({Math.ceil(f.size / 1024)} KB)</li>)}</ul>
            </>
          )}
          {p.status === 'answered' && p.response_outcome && (
            <section class="petition__response" aria-labelledby="response-title">
              <h2 id="response-title">{t('petitions.web.response')}</h2>
              <p><StatusTag status="answered" /> <strong>{t(`petitions.outcome.${p.response_outcome}`)}</strong></p>
              <ContentBlock text={p.response_text} />
              {p.response_file_id && <p><a href={fileUrl(p.response_file_id)}>{t('petitions.web.responseDocument')}</a></p>}
            </section>
          )}
          {p.status === 'rejected' && p.rejection_reason && <Banner kind="warning" title={t('petitions.web.rejectedReason')}><Content as="p" text={p.rejection_reason} /></Banner>}
          {p.status === 'closed' && <Banner kind="info" title={t('petitions.web.closedTitle')}><p>{p.close_reason ? <Content text={p.close_reason} /> : t('petitions.web.expiredReason', { count, threshold: p.threshold ?? 0 })}</p></Banner>}
          {latest.length > 0 && (
            <>
              <h2>{t('petitions.web.latestSigners')}</h2>
              <ul class="signers">{latest.map((s) => <li key={s.id}><Content text={signerName(req, s)} /></li>)}</ul>
              <p><a href={`${path}/signatures`}>{t('petitions.web.allSigners', { count })}</a></p>
            </>
          )}
          {invalidations.length > 0 && (
            <Table caption={t('petitions.web.invalidations')} head={[t('petitions.web.date'), t('petitions.web.invalidatedCount'), t('petitions.web.reason')]}
              rows={invalidations.map((i) => [fmt(i.created_at), String(i.count), <Content text={i.reason} />])} numeric={[1]} />
          )}
          <h2>{t('petitions.web.timeline')}</h2>
          <ol class="timeline">
            {events.map((e) => <li key={e.id}><time dateTime={new Date(e.created_at).toISOString()}>{fmt(e.created_at)}</time> — {t(`petitions.event.${e.kind}`)}{e.note && e.kind !== 'answered' ? <>: <Content text={e.note} /></> : ''}</li>)}
          </ol>
          {!['draft', 'moderation'].includes(p.status) && (
            <>
              <h2>{t('petitions.web.share')}</h2>
              <ul class="actions">{shareLinks(url, contentText(req, p.title)).map(([name, href]) => <li key={name}><a href={href} rel="noopener">{name}</a></li>)}</ul>
              <p class="data-links">
                <a href={`${path}/feed.atom`}>{t('petitions.web.feed')}</a> · <a href={`/api/v1/${m.slug}/petitions/${p.number}`}>JSON</a> · <a href={`${path}/ledger`}>{t('petitions.web.ledger')}</a>
              </p>
            </>
          )}
        </article>
      ),
    });
  });

  app.get('/:locale/:municipality/petitions/:number/signatures', { schema: { hide: true, querystring: Query({ page: Page }) } }, async (req, reply) => {
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    const page = Math.max(1, Math.min(100_000, Number.parseInt((req.query as { page?: string }).page ?? '1', 10) || 1));
    const [count, rows] = await Promise.all([countSignatures(deps.db, p.id), listSignatories(deps.db, p.id, SIGNATORIES_PER_PAGE, (page - 1) * SIGNATORIES_PER_PAGE)]);
    const path = petitionPath(req, p.number);

    return render(deps, req, reply, {
      title: req.t('petitions.web.signersOf', { title: contentText(req, p.title) }),
      body: (
        <>
          <p><a href={path}><Content text={p.title} /></a></p>
          <h1>{req.t('petitions.web.signers')}</h1>
          <p>{req.t('petitions.count', { count })}</p>
          <Table caption={req.t('petitions.web.signers')} captionHidden head={[req.t('petitions.web.signerName'), req.t('petitions.web.signedAt')]}
            rows={rows.map((s) => [<Content text={signerName(req, s)} />, req.fmt.dateTime(s.signed_at)])} />
          <Pagination page={page} pages={Math.max(1, Math.ceil(count / SIGNATORIES_PER_PAGE))} hrefFor={(n) => `${path}/signatures?page=${n}`} />
        </>
      ),
    });
  });
}
