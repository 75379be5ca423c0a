import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, moneyInput, parseMoney } from './money.ts';
import { formatters } from './i18n.ts';

test('amounts are read as people type them, in minor units', () => {
  assert.equal(parseMoney('1 250 000'), 125_000_000);
  assert.equal(parseMoney('1\u00a0250\u00a0000,5'), 125_000_050);
  assert.equal(parseMoney('1250000.05'), 125_000_005);
  assert.equal(parseMoney("1'000"), 100_000);
  assert.equal(parseMoney('0'), 0);
  for (const bad of ['', '-5', '1.234', '1,2,3', 'abc', '1e5', '99999999999999', '١٢٣']) assert.equal(parseMoney(bad), undefined, bad);
});

test('an amount shown for editing reads back as itself', () => {
  for (const minor of [0, 5, 100, 125_000_050, 999]) assert.equal(parseMoney(moneyInput(minor)), minor);
});

test('amounts are formatted in the page language with their currency', () => {
  assert.match(formatMoney(formatters('en'), 125_000_050, 'UAH'), /1,250,000\.50/);
  assert.match(formatMoney(formatters('uk'), 100, 'UAH'), /1,00/);
});
