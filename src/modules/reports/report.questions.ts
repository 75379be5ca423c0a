import type { ReportQuestion } from '../../db/schema.reports.ts';

export type Answers = Record<string, string | number | string[]>;
export type AnswerProblem = 'required' | 'invalid';

const TEXT_MAX = 500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Checks a resident's answers to a category's extra questions. Form values arrive as strings (a
 * multiple choice as a string or an array of them); the clean answers keep each in its kind's type.
 */
export function checkAnswers(questions: ReportQuestion[], raw: Record<string, unknown>): { ok: true; answers: Answers } | { ok: false; problems: Record<string, AnswerProblem> } {
  const answers: Answers = {};
  const problems: Record<string, AnswerProblem> = {};
  for (const q of questions) {
    const v = raw[q.key];
    if (empty(v)) {
      if (q.required) problems[q.key] = 'required';
      continue;
    }
    const options = new Set((q.options ?? []).map((o) => o.value));
    const clean = ((): string | number | string[] | null => {
      switch (q.kind) {
        case 'text': return typeof v === 'string' && v.trim().length <= TEXT_MAX ? v.trim() : null;
        case 'number': { const n = Number(v); return typeof v !== 'object' && Number.isFinite(n) ? n : null; }
        case 'date': return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v) ? v : null;
        case 'single': return typeof v === 'string' && options.has(v) ? v : null;
        case 'multiple': {
          const list = (Array.isArray(v) ? v : [v]).map(String);
          return list.every((x) => options.has(x)) ? [...new Set(list)] : null;
        }
      }
    })();
    if (clean === null) problems[q.key] = 'invalid';
    else answers[q.key] = clean;
  }
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, answers };
}
