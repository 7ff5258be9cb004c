import {
  formatBytes,
  formatChange,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPercent,
} from './format';

describe('formatDuration', () => {
  it('shows the two largest units in the reader language', () => {
    expect(formatDuration(3_905_000, 'en')).toBe('1h 5m');
    expect(formatDuration(3_905_000, 'ru')).toBe('1 ч 5 мин');
    expect(formatDuration(42_000, 'en')).toBe('42s');
    expect(formatDuration(90_061_000, 'en')).toBe('1d 1h');
  });

  it('keeps the unit after a zero middle unit out', () => {
    expect(formatDuration(3_600_000 + 7000, 'en')).toBe('1h');
  });

  it('shows milliseconds below a second and a dash without a value', () => {
    expect(formatDuration(250, 'en')).toBe('250ms');
    expect(formatDuration(undefined, 'en')).toBe('—');
    expect(formatDuration(-1, 'en')).toBe('—');
  });
});

describe('formatBytes', () => {
  it('uses SI units', () => {
    expect(formatBytes(0, 'en')).toBe('0');
    expect(formatBytes(1_500_000, 'en')).toBe('1.5 MB');
    expect(formatBytes(2_000_000_000, 'ru')).toBe('2 ГБ');
  });
});

describe('formatMoney', () => {
  it('formats per locale and currency', () => {
    expect(formatMoney(1234.5, 'USD', 'en')).toBe('$1,235');
    expect(formatMoney(3.456, 'USD', 'en')).toBe('$3.46');
    expect(formatMoney(0, 'USD', 'en')).toBe('$0');
    expect(formatMoney(0.0031, 'USD', 'en')).toBe('$0.0031');
    expect(formatMoney(1234, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('1 234 ₽');
  });

  it('is a dash without an amount or currency', () => {
    expect(formatMoney(undefined, 'USD', 'en')).toBe('—');
    expect(formatMoney(1, undefined, 'en')).toBe('—');
  });
});

describe('formatChange and formatPercent', () => {
  it('signs changes and refuses a zero base', () => {
    expect(formatChange(120, 100, 'en')).toBe('+20%');
    expect(formatChange(80, 100, 'en')).toBe('-20%');
    expect(formatChange(5, 0, 'en')).toBe('—');
    expect(formatPercent(0.995, 'en', 1)).toBe('99.5%');
    expect(formatPercent(0.5, 'ru', 0).replace(/\s/g, ' ')).toBe('50 %');
  });
});

describe('formatDateTime', () => {
  it('formats dates per locale and rejects bad input', () => {
    const iso = '2026-11-24T08:30:00Z';
    expect(formatDateTime(iso, 'en')).toMatch(/Nov 24, 2026/);
    expect(formatDateTime(iso, 'ru')).toMatch(/24 нояб\. 2026/);
    expect(formatDateTime('not a date', 'en')).toBe('—');
    expect(formatDateTime(undefined, 'en')).toBe('—');
  });
});
