const TASK_END_PREFIX = '{"Event":"SparkListenerTaskEnd"';
const ACCUMULABLES = '"Accumulables":[';
const AFTER_TASK_INFO = ['},"Task Executor Metrics":', '},"Task Metrics":'];

/**
 * Parses one event-log line. Task-end events are most of a log and more than half of each is
 * the task's accumulator updates, which no summary uses: they are cut out before parsing
 * (Spark writes `Accumulables` last in `Task Info`). When the cut does not give valid JSON
 * the whole line is parsed, so odd accumulator names cost speed, never correctness.
 */
export function parseEventLine(text: string): Record<string, unknown> {
  if (text.startsWith(TASK_END_PREFIX)) {
    const start = text.indexOf(ACCUMULABLES, TASK_END_PREFIX.length);
    if (start > 0) {
      const from = start + ACCUMULABLES.length;
      for (const marker of AFTER_TASK_INFO) {
        const end = text.indexOf(marker, from);
        // The Task Info object ends with `]}` right before the marker.
        if (end > from && text.charCodeAt(end - 1) === 93 /* ] */) {
          try {
            return JSON.parse(
              `${text.slice(0, from)}${text.slice(end - 1)}`,
            ) as Record<string, unknown>;
          } catch {
            break;
          }
        }
      }
    }
  }
  return JSON.parse(text) as Record<string, unknown>;
}
