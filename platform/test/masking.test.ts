// Personal data never reaches a log line in clear: phone numbers and names are masked, free text is scrubbed.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, maskName, maskPersonalData, maskPhone, maskPhonesInText } from '../src';

test('a phone number keeps only its first three and last four digits', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('+852 9123 4567'), '852****4567');
  assert.equal(maskPhone('1234'), '****');
});

test('a Chinese name keeps its surname, an English name its initials', () => {
  assert.equal(maskName('王小明'), '王**');
  assert.equal(maskName('张伟'), '张*');
  assert.equal(maskName('Jane Smith'), 'J*** S****');
});

test('phone numbers quoted in complaint text are masked, voltages and dates are not', () => {
  assert.equal(maskPhonesInText('请打13812345678联系我，电压178V'), '请打138****5678联系我，电压178V');
  assert.equal(maskPhonesInText('2026-11-20 停电'), '2026-11-20 停电');
});

test('nested customer objects are masked without touching the original', () => {
  const original = {
    complaint: { customer: { accountNo: '5012087734', name: '李雷', phone: '13900001111' } },
  };
  const masked = maskPersonalData(original) as typeof original;
  assert.deepEqual(masked.complaint.customer, { accountNo: '5012087734', name: '李*', phone: '139****1111' });
  assert.equal(original.complaint.customer.phone, '13900001111');
});

test('the logger masks whatever object a handler logs', () => {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'test',
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  logger.info({ customer: { name: 'Jane Smith', phone: '07700900123' } }, 'complaint accepted');
  const line = JSON.parse(lines[0]);
  assert.equal(line.customer.phone, '077****0123');
  assert.equal(line.customer.name, 'J*** S****');
  assert.equal(line.service, 'test');
  assert.equal(line.msg, 'complaint accepted');
});
