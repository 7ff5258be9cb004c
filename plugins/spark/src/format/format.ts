/** Numbers, money, sizes, times and durations in the reader's language, with Intl. */

const units = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
] as const;

/** The two largest non-zero units, e.g. `1h 5min` / `1 ч 5 мин`; below a second in ms. */
export function formatDuration(ms: number | undefined, locale: string): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) {
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'millisecond',
      unitDisplay: 'narrow',
      maximumFractionDigits: 0,
    }).format(ms);
  }
  // The largest unit and the one below it, e.g. 1h 0m 7s shows as 1h.
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  let slots = 0;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (slots === 0 && count === 0) continue;
    slots++;
    if (count > 0) {
      parts.push(
        new Intl.NumberFormat(locale, {
          style: 'unit',
          unit,
          unitDisplay: 'narrow',
        }).format(count),
      );
    }
    if (slots === 2) break;
  }
  return parts.join(' ');
}

const byteUnits = [
  'byte',
  'kilobyte',
  'megabyte',
  'gigabyte',
  'terabyte',
  'petabyte',
] as const;

/** Decimal (SI) sizes: 1 kB = 1000 bytes, as Intl names them. */
export function formatBytes(bytes: number | undefined, locale: string): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes === 0) return new Intl.NumberFormat(locale).format(0);
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < byteUnits.length - 1) {
    value /= 1000;
    index++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: byteUnits[index],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && index > 0 ? 1 : 0,
  }).format(value);
}

export function formatMoney(
  amount: number | undefined,
  currency: string | undefined,
  locale: string,
): string {
  if (amount === undefined || !currency || !Number.isFinite(amount)) return '—';
  const size = Math.abs(amount);
  // Cents below 10, whole units above; a fraction of a cent keeps two significant digits.
  let digits: Intl.NumberFormatOptions = { maximumFractionDigits: 0 };
  if (size > 0 && size < 0.01) digits = { maximumSignificantDigits: 2 };
  else if (size > 0 && size < 10) digits = { maximumFractionDigits: 2 };
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    ...digits,
  }).format(amount);
}

export function formatNumber(
  value: number | undefined,
  locale: string,
  maximumFractionDigits = 0,
): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);
}

export function formatPercent(
  share: number | undefined,
  locale: string,
  maximumFractionDigits = 1,
): string {
  if (share === undefined || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits,
  }).format(share);
}

/** A signed change such as `+12 %` / `−3 %`; `—` when there is nothing to compare with. */
export function formatChange(
  current: number,
  previous: number,
  locale: string,
): string {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0)
    return '—';
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    signDisplay: 'exceptZero',
    maximumFractionDigits: 0,
  }).format((current - previous) / previous);
}

export function formatDateTime(
  iso: string | undefined,
  locale: string,
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatDay(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(date);
}
