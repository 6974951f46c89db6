// Paid versus free: the asset owner decides, and vulnerable customers are served free.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideCharge } from '../src/domain/charge-rules';

test('a utility-owned asset is repaired free, whoever the customer is', () => {
  assert.equal(decideCharge('utility', false).decision, 'free');
  assert.equal(decideCharge('utility', true).decision, 'free');
  assert.match(decideCharge('utility', false).reason, /utility-owned/);
});

test('a customer-owned asset is paid service', () => {
  assert.deepEqual(decideCharge('customer', false), {
    decision: 'paid',
    reason: 'customer-owned asset: paid service',
  });
});

test('a customer-owned asset of a vulnerable customer is served free', () => {
  const charge = decideCharge('customer', true);
  assert.equal(charge.decision, 'free');
  assert.match(charge.reason, /vulnerable/);
});
