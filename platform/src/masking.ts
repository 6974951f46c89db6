// Masks customer personal data (phone numbers, names) before anything reaches a log line.
const PHONE_IN_TEXT = /(?<!\d)(\+?\d[\d -]{6,18}\d)(?!\d)/g;
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;

/** 13812345678 → 138****5678; keeps enough for an agent to recognise the number, not to call it. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const head = digits.length > 7 ? digits.slice(0, 3) : '';
  return `${head}${'*'.repeat(digits.length - head.length - 4)}${digits.slice(-4)}`;
}

/** 张伟 → 张*, Jane Smith → J*** S**** */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\p{Script=Han}]+$/u.test(name.trim())) return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
  return name
    .trim()
    .split(/\s+/)
    .map((part) => {
      const p = [...part];
      return p[0] + '*'.repeat(Math.max(1, p.length - 1));
    })
    .join(' ');
}

/** Free text (complaint bodies) may quote a phone number; mask digit runs that look like one. */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) =>
    match.replace(/\D/g, '').length >= 7 && !DATE.test(match) ? maskPhone(match) : match,
  );
}

const PHONE_KEYS = new Set(['phone', 'mobile', 'telephone', 'contactPhone']);
const NAME_KEYS = new Set(['name', 'customerName', 'contactName']);
const TEXT_KEYS = new Set(['text', 'reason', 'comment']);

/** Deep copy of a log payload with personal fields masked. */
export function maskPersonalData(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && PHONE_KEYS.has(key)) out[key] = maskPhone(v);
    else if (typeof v === 'string' && NAME_KEYS.has(key)) out[key] = maskName(v);
    else if (typeof v === 'string' && TEXT_KEYS.has(key)) out[key] = maskPhonesInText(v);
    else out[key] = maskPersonalData(v, depth + 1);
  }
  return out;
}
