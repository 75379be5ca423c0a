import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBallot, tally, type BallotRules } from './rules.ts';

const categories = [{ slug: 'small', amount: 1000 }, { slug: 'large', amount: 5000 }];
const projects = [
  { number: 1, category: 'small', cost: 400 }, { number: 2, category: 'small', cost: 500 }, { number: 3, category: 'small', cost: 300 },
  { number: 4, category: 'large', cost: 3000 }, { number: 5, category: 'large', cost: 2500 },
];
const approval: BallotRules = { rule: 'approval', maxChoices: 3, maxPerCategory: 2, minChoices: 2, minSharePct: null };
const knapsack: BallotRules = { rule: 'knapsack', maxChoices: null, maxPerCategory: null, minChoices: null, minSharePct: 50 };

test('approval: up to N in all, K per category, M when cast', () => {
  assert.equal(checkBallot(approval, categories, projects, [1, 4], { cast: true }), null);
  assert.deepEqual(checkBallot(approval, categories, projects, [1, 2, 4, 5], { cast: false }), { code: 'too_many', max: 3 });
  assert.deepEqual(checkBallot(approval, categories, projects, [1, 2, 3], { cast: false }), { code: 'too_many_in_category', category: 'small', max: 2 });
  assert.equal(checkBallot(approval, categories, projects, [1], { cast: false }), null, 'a selection may be short while it is built');
  assert.deepEqual(checkBallot(approval, categories, projects, [1], { cast: true }), { code: 'too_few', min: 2 });
});

test('knapsack: each category within its amount, a minimum share of the chosen categories when cast', () => {
  assert.equal(checkBallot(knapsack, categories, projects, [1, 2, 4], { cast: true }), null);
  assert.deepEqual(checkBallot(knapsack, categories, projects, [1, 2, 3], { cast: false }), { code: 'over_budget', category: 'small', amount: 1000, total: 1200 });
  assert.deepEqual(checkBallot(knapsack, categories, projects, [4, 5], { cast: false }), { code: 'over_budget', category: 'large', amount: 5000, total: 5500 });
  assert.deepEqual(checkBallot(knapsack, categories, projects, [3], { cast: true }), { code: 'under_share', category: 'small', min: 500, total: 300 });
  assert.equal(checkBallot(knapsack, categories, projects, [3], { cast: false }), null);
});

test('unknown, repeated and empty choices are refused', () => {
  assert.deepEqual(checkBallot(approval, categories, projects, [9], { cast: false }), { code: 'unknown_project', project: 9 });
  assert.deepEqual(checkBallot(approval, categories, projects, [1, 1], { cast: false }), { code: 'duplicate', project: 1 });
  assert.deepEqual(checkBallot(knapsack, categories, projects, [], { cast: true }), { code: 'empty' });
  assert.deepEqual(checkBallot(approval, [categories[0]!], projects, [4], { cast: false }), { code: 'unknown_project', project: 4 }, 'a project of a category not on the ballot');
});

test('the tally says what is chosen and what is left', () => {
  const s = tally(approval, categories, projects, [2, 1, 4]);
  assert.equal(s.chosen, 3);
  assert.equal(s.choicesLeft, 0);
  assert.deepEqual(s.categories[0], { slug: 'small', chosen: [1, 2], spent: 900, amount: 1000, moneyLeft: 100, choicesLeft: 0 });
  assert.equal(tally(knapsack, categories, projects, [4]).categories[1]!.moneyLeft, 2000);
});
