// Complaint ids and request fingerprints: what makes a retried POST land on the same complaint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complaintIdFor, requestFingerprint } from '../src';

test('the same channel and Idempotency-Key always give the same quotable id', () => {
  const id = complaintIdFor('hotline', 'call-2026-000123');
  assert.equal(id, complaintIdFor('hotline', 'call-2026-000123'));
  assert.match(id, /^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
});

test('another channel or another key gives another id', () => {
  const ids = new Set([
    complaintIdFor('hotline', 'k1'),
    complaintIdFor('wechat', 'k1'),
    complaintIdFor('hotline', 'k2'),
    complaintIdFor('partner:city-12345', 'k1'),
  ]);
  assert.equal(ids.size, 4);
});

test('ids spread evenly: 20,000 keys give 20,000 distinct ids', () => {
  const ids = new Set(Array.from({ length: 20000 }, (_, i) => complaintIdFor('app', `key-${i}`)));
  assert.equal(ids.size, 20000);
});

test('a body fingerprint ignores key order but not values', () => {
  const a = { text: 'low voltage', customer: { accountNo: '1', phone: '13812345678' } };
  const b = { customer: { phone: '13812345678', accountNo: '1' }, text: 'low voltage' };
  assert.equal(requestFingerprint(a), requestFingerprint(b));
  assert.notEqual(requestFingerprint(a), requestFingerprint({ ...a, text: 'high voltage' }));
});
