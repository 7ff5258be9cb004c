/**
 * ISO 8601 repeating intervals as Cost Insights sends them: `R2/P30D/2026-11-24` means two
 * intervals of 30 days ending on 24 November (exclusive).
 */
export interface RepeatingIntervals {
  /** Start of the first interval and end of the last, as `Date`s at UTC midnight. */
  from: Date;
  to: Date;
  /** Start of the last interval. */
  lastFrom: Date;
}

const PATTERN =
  /^R(\d+)\/P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?\/(\d{4}-\d{2}-\d{2})$/;

/** Parses `R<n>/P<duration>/<end date>`; throws naming what is wrong. */
export function parseIntervals(intervals: string): RepeatingIntervals {
  const match = PATTERN.exec(intervals);
  if (!match) {
    throw new Error(
      `intervals must look like R2/P30D/2026-11-24, got ${intervals}`,
    );
  }
  const [, repeat, years, months, weeks, days, end] = match;
  const to = new Date(`${end}T00:00:00Z`);
  const back = (date: Date, times: number) => {
    const d = new Date(date);
    d.setUTCFullYear(d.getUTCFullYear() - Number(years ?? 0) * times);
    d.setUTCMonth(d.getUTCMonth() - Number(months ?? 0) * times);
    d.setUTCDate(
      d.getUTCDate() - (Number(weeks ?? 0) * 7 + Number(days ?? 0)) * times,
    );
    return d;
  };
  return { from: back(to, Number(repeat)), to, lastFrom: back(to, 1) };
}
