/**
 * Names of Spark event-log files, as Spark's EventLogFileWriters write them:
 * - single file: `<app>[.<codec>][.inprogress]`
 * - rolling (`spark.eventLog.rolling.enabled`, Spark 4's default): a directory
 *   `eventlog_v2_<app>` holding `events_<index>_<app>[.<codec>]` and the marker
 *   `appstatus_<app>[.inprogress]`.
 * `<app>` is the app id, with `_<attempt>` when the app has attempts (YARN ids contain
 * underscores too, so the attempt is taken from the log's events, not from the name).
 */

/**
 * Compression codecs Spark can write event logs with (`spark.eventLog.compression.codec`).
 *
 * @public
 */
export const EVENT_LOG_CODECS = ['lz4', 'lzf', 'snappy', 'zstd'] as const;
/**
 * One of {@link EVENT_LOG_CODECS}.
 *
 * @public
 */
export type EventLogCodec = (typeof EVENT_LOG_CODECS)[number];

const IN_PROGRESS = '.inprogress';
const ROLLING_DIR_PREFIX = 'eventlog_v2_';

/**
 * What a name in `spark.eventLog.dir` stands for.
 *
 * @public
 */
export type EventLogName =
  /** A whole log in one file. */
  | { kind: 'single'; app: string; codec?: EventLogCodec; inProgress: boolean }
  /** A directory of a rolling log. */
  | { kind: 'rolling-dir'; app: string }
  /** One part of a rolling log, ordered by index. */
  | { kind: 'rolling-part'; app: string; index: number; codec?: EventLogCodec }
  /** The status marker of a rolling log: in progress until the app ends. */
  | { kind: 'rolling-status'; app: string; inProgress: boolean };

function splitCodec(name: string): { rest: string; codec?: EventLogCodec } {
  const dot = name.lastIndexOf('.');
  const suffix = dot > 0 ? name.slice(dot + 1) : '';
  return (EVENT_LOG_CODECS as readonly string[]).includes(suffix)
    ? { rest: name.slice(0, dot), codec: suffix as EventLogCodec }
    : { rest: name };
}

/**
 * Parses a file or directory name (not a path) from `spark.eventLog.dir`; undefined for names
 * Spark does not write (hidden files, unknown suffixes stay part of the app name).
 *
 * @public
 */
export function parseEventLogName(
  name: string,
  isDirectory = false,
): EventLogName | undefined {
  if (!name || name.startsWith('.')) return undefined;
  if (isDirectory) {
    return name.startsWith(ROLLING_DIR_PREFIX) &&
      name.length > ROLLING_DIR_PREFIX.length
      ? { kind: 'rolling-dir', app: name.slice(ROLLING_DIR_PREFIX.length) }
      : undefined;
  }
  const part = name.match(/^events_(\d+)_(.+)$/);
  if (part) {
    const { rest, codec } = splitCodec(part[2]);
    return { kind: 'rolling-part', app: rest, index: Number(part[1]), codec };
  }
  const inProgress = name.endsWith(IN_PROGRESS);
  const base = inProgress ? name.slice(0, -IN_PROGRESS.length) : name;
  if (base.startsWith('appstatus_')) {
    return {
      kind: 'rolling-status',
      app: base.slice('appstatus_'.length),
      inProgress,
    };
  }
  const { rest, codec } = splitCodec(base);
  return rest ? { kind: 'single', app: rest, codec, inProgress } : undefined;
}
