/**
 * Spark conf redaction, at least as strict as Spark's own (`spark.redaction.regex`): an entry
 * is redacted when its key or its value matches Spark's default pattern or the app's own.
 */

/**
 * Spark's default `spark.redaction.regex`.
 *
 * @public
 */
export const SPARK_DEFAULT_REDACTION_REGEX =
  '(?i)secret|password|token|access[.]?key';

/**
 * The text Spark puts in place of a redacted value.
 *
 * @public
 */
export const REDACTED = '*********(redacted)';

const REDACTION_REGEX_KEY = 'spark.redaction.regex';

/**
 * Turns a Java regular expression into a JavaScript one. Leading inline flags such as `(?i)`
 * become JavaScript flags; returns undefined for a pattern JavaScript cannot compile.
 *
 * @public
 */
export function javaRegex(pattern: string): RegExp | undefined {
  const flags = pattern.match(/^\(\?([imsx]+)\)/);
  const body = flags ? pattern.slice(flags[0].length) : pattern;
  const jsFlags = (flags?.[1] ?? '').replace(/x/g, '');
  try {
    return new RegExp(body, jsFlags);
  } catch {
    return undefined;
  }
}

/**
 * Redacts Spark conf entries (as in a SparkListenerEnvironmentUpdate's "Spark Properties").
 * The app's own `spark.redaction.regex` adds to the default and never replaces it; if it does
 * not compile, every value is redacted (fail closed). `extraPatterns` (Java regex syntax) add
 * site-wide patterns, or the app's pattern when redacting lists other than its Spark conf.
 *
 * @public
 */
export function redactSparkConf(
  entries: ReadonlyArray<readonly [string, string]>,
  extraPatterns: ReadonlyArray<string> = [],
): Array<[string, string]> {
  const patterns = [javaRegex(SPARK_DEFAULT_REDACTION_REGEX)!];
  const appPattern = entries.find(([key]) => key === REDACTION_REGEX_KEY)?.[1];
  let failClosed = false;
  for (const pattern of [
    ...(appPattern === undefined ? [] : [appPattern]),
    ...extraPatterns,
  ]) {
    if (pattern === SPARK_DEFAULT_REDACTION_REGEX) continue;
    const compiled = javaRegex(pattern);
    if (compiled) patterns.push(compiled);
    else failClosed = true;
  }
  return entries.map(([key, value]) => {
    if (key === REDACTION_REGEX_KEY) return [key, value];
    const sensitive =
      failClosed || patterns.some(p => p.test(key) || p.test(value));
    return [key, sensitive ? REDACTED : value];
  });
}
