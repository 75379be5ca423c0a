import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import { readMultipartFile } from '../files/files.web.ts';
import { notFound } from '../http/errors.tsx';
import type { App, Deps } from '../http/deps.ts';
import { render } from '../http/render.tsx';
import { Banner, Button, ErrorSummary, FileField, Form, SummaryList, type FormErrors } from '../views/components.tsx';
import { useView } from '../views/context.ts';
import { chainOwner, chainVisible, CHAIN_PATTERN } from './chains.ts';
import { publishedKeys } from './log.ts';
import { checkAgainstLog, checkReceipt, type CheckStep, type ReceiptCheck } from './receipt.ts';

/**
 * Checking a receipt file on the site, for every module's chains: the same checks `hromada verify-ledger
 * --receipt` makes offline, then against the log as it is now. Nothing is stored.
 */

const receiptPath = (locale: string, m: Municipality, chain: string) => `/${locale}/${m.slug}/ledger/${chain}/receipt`;

/** The upload form, also shown on a chain's own ledger page. */
export function ReceiptCheckForm({ m, chain, errors }: { m: Municipality; chain: string; errors?: FormErrors }) {
  const { t, locale } = useView();
  return (
    <Form action={receiptPath(locale, m, chain)} multipart>
      <FileField name="receipt" label={t('platform.ledger.receipt.file')} hint={t('platform.ledger.receipt.fileHint')} accept=".json,application/json" errors={errors} />
      <Button variant="secondary">{t('platform.ledger.receipt.check')}</Button>
    </Form>
  );
}

function StepList({ steps }: { steps: CheckStep[] }) {
  const { t, fmt } = useView();
  const params = (s: CheckStep) => Object.fromEntries(Object.entries(s.params ?? {}).map(([k, v]) => [k, k === 'deadline' ? fmt.dateTime(new Date(String(v))) : v]));
  return (
    <ul>
      {steps.map((s) => (
        <li key={s.code}>
          <strong>{t(s.ok ? 'platform.ledger.receipt.passed' : 'platform.ledger.receipt.failed')}</strong> {t(`platform.ledger.receipt.${s.ok ? 'ok' : 'no'}.${s.code}`, params(s))}
        </li>
      ))}
    </ul>
  );
}

function Result({ checked, steps }: { checked: ReceiptCheck; steps: CheckStep[] }) {
  const { t } = useView();
  const ok = steps.every((s) => s.ok);
  const title = !ok ? t('platform.ledger.receipt.bad') : checked.sealed ? t('platform.ledger.receipt.good') : t('platform.ledger.receipt.goodPending');
  const e = checked.sealed ? (checked.steps.find((s) => s.code === 'inclusion')?.params ?? {}) : {};
  return (
    <>
      <Banner kind={ok ? 'success' : 'error'} title={title} focus><StepList steps={steps} /></Banner>
      {checked.promise && (
        <SummaryList items={[
          [t('platform.ledger.receipt.origin'), <code>{checked.promise.origin}</code>],
          [t('platform.ledger.receipt.kind'), <code>{checked.promise.kind}</code>],
          [t('platform.ledger.receipt.payload'), <code class="hash">{JSON.stringify(checked.promise.payload)}</code>],
          ...(e.seq ? [[t('platform.ledger.receipt.seq'), String(e.seq)] as [string, string]] : []),
        ]} />
      )}
    </>
  );
}

async function page(deps: Deps, req: FastifyRequest, reply: FastifyReply, m: Municipality, chain: string, body: { errors?: FormErrors; result?: preact.ComponentChildren; status?: number }) {
  const t = req.t;
  const owner = chainOwner(m, chain)!;
  return render(deps, req, reply, {
    title: t('platform.ledger.receipt.title'),
    status: body.status,
    body: (
      <>
        <p><a href={`/${req.locale}${owner.chains.page(m, owner.key)}`}>{t('platform.ledger.receipt.back', { chain })}</a></p>
        <h1>{t('platform.ledger.receipt.title')}</h1>
        <p class="lead">{t('platform.ledger.receipt.lead')}</p>
        <ErrorSummary errors={body.errors} />
        {body.result}
        <h2>{body.result ? t('platform.ledger.receipt.another') : t('platform.ledger.receipt.upload')}</h2>
        <ReceiptCheckForm m={m} chain={chain} errors={body.errors} />
      </>
    ),
  });
}

export function registerReceiptCheck(app: App, deps: Deps): void {
  const params = Type.Object({ locale: Type.String(), municipality: Type.String(), chain: Type.String({ pattern: CHAIN_PATTERN, maxLength: 140 }) });
  const route = '/:locale/:municipality/ledger/:chain/receipt';
  const visible = async (req: FastifyRequest) => {
    const m = req.municipality!;
    const { chain } = req.params as { chain: string };
    return (await chainVisible(deps.db, m, chain)) ? { m, chain } : undefined;
  };

  app.get(route, { schema: { hide: true, params } }, async (req, reply) => {
    const found = await visible(req);
    return found ? page(deps, req, reply, found.m, found.chain, {}) : notFound(deps, req, reply);
  });

  app.post(route, { schema: { hide: true, params }, config: { csrf: false } }, async (req, reply) => {
    const found = await visible(req);
    if (!found) return notFound(deps, req, reply);
    const { m, chain } = found;
    const upload = await readMultipartFile(app, req, reply);
    if (reply.sent) return reply;
    const refuse = (key: string) => page(deps, req, reply, m, chain, { status: 400, errors: { receipt: req.t(key) } });
    if (!upload) return refuse('platform.ledger.receipt.missing');
    if (upload.kind === 'too_large') return refuse('platform.ledger.receipt.notReceipt');
    let parsed: unknown;
    try {
      parsed = JSON.parse(upload.data.toString('utf8'));
    } catch {
      return refuse('platform.ledger.receipt.notReceipt');
    }
    const checked = checkReceipt(parsed, (await publishedKeys(deps.db)).keys);
    if (checked.steps[0]?.code === 'format') return refuse('platform.ledger.receipt.notReceipt');
    const entryChain = (parsed as { entry?: { chain?: unknown } }).entry?.chain;
    const online = checked.promise && !checked.promise.origin.endsWith(`/${m.slug}/${chain}`)
      ? [{ code: 'otherChain', ok: false }]
      : entryChain !== undefined && entryChain !== chain ? [{ code: 'otherChain', ok: false }] : await checkAgainstLog(deps.db, m.id, chain, checked);
    return page(deps, req, reply, m, chain, { result: <Result checked={checked} steps={[...checked.steps, ...online]} /> });
  });
}
