/**
 * Fields of the History Server's JSON that an event log alone cannot reproduce, per document,
 * with why. docs/history-api-compatibility.md lists the same; a test keeps them in step.
 */
export const HISTORY_FIELDS_NOT_REPRODUCED: Record<
  string,
  Record<string, string>
> = {
  attempt: {
    lastUpdated:
      "the log file's modification time on the History Server's file system",
    lastUpdatedEpoch: 'the same, in milliseconds',
    logSourceName: "the History Server's own log directory setting",
    logSourceFullPath: "the History Server's own log directory setting",
  },
  jobs: {},
  stages: {
    description:
      'Spark 3.5 History Servers leave it out for stages whose job set a description; Spark 4 includes it',
    rddIds:
      'the same ids, in an order taken from the History Server in-memory graph',
  },
  allexecutors: {
    totalDuration:
      'the History Server accounts task time of the local-mode driver differently from the sum of task durations',
    totalGCTime:
      "the History Server reports 0 for the local-mode driver; we report the sum of the tasks' JVM GC time",
  },
  environment: {},
};

/** A History Server document without the fields we do not reproduce, for comparisons. */
export function withoutUnreproduced(
  kind: string,
  document: Record<string, unknown>,
): Record<string, unknown> {
  const skip = HISTORY_FIELDS_NOT_REPRODUCED[kind] ?? {};
  return Object.fromEntries(
    Object.entries(document).filter(([key]) => !(key in skip)),
  );
}
