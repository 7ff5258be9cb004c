/** Formats of the History Server's JSON (`/api/v1`), so our documents compare equal to its. */

/** `2026-11-25T10:00:00.123GMT`, as the History Server writes dates. */
export function hsDate(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace('Z', 'GMT');
}

/** Drops undefined fields, as the History Server's Jackson mapper does for empty Options. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
