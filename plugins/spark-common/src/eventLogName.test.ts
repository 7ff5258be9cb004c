import { parseEventLogName } from './eventLogName';

describe('parseEventLogName', () => {
  it('reads the single-file names Spark 3.5 and 4 write', () => {
    // Spark 3.5 default: uncompressed; Spark 4 without rolling: zstd.
    expect(parseEventLogName('local-1764037000000')).toEqual({
      kind: 'single',
      app: 'local-1764037000000',
      codec: undefined,
      inProgress: false,
    });
    expect(parseEventLogName('spark-4f1c0a5e2b1d4c3e.zstd.inprogress')).toEqual(
      {
        kind: 'single',
        app: 'spark-4f1c0a5e2b1d4c3e',
        codec: 'zstd',
        inProgress: true,
      },
    );
    expect(parseEventLogName('application_1700000000000_0042_1.lz4')).toEqual({
      kind: 'single',
      app: 'application_1700000000000_0042_1',
      codec: 'lz4',
      inProgress: false,
    });
  });

  it("reads a rolling log's directory, parts and status marker (Spark 4's default)", () => {
    expect(parseEventLogName('eventlog_v2_local-1764037000000', true)).toEqual({
      kind: 'rolling-dir',
      app: 'local-1764037000000',
    });
    expect(parseEventLogName('events_12_local-1764037000000.zstd')).toEqual({
      kind: 'rolling-part',
      app: 'local-1764037000000',
      index: 12,
      codec: 'zstd',
    });
    expect(parseEventLogName('events_1_spark-abc')).toEqual({
      kind: 'rolling-part',
      app: 'spark-abc',
      index: 1,
      codec: undefined,
    });
    expect(
      parseEventLogName('appstatus_local-1764037000000.inprogress'),
    ).toEqual({
      kind: 'rolling-status',
      app: 'local-1764037000000',
      inProgress: true,
    });
    expect(parseEventLogName('appstatus_local-1764037000000')).toEqual({
      kind: 'rolling-status',
      app: 'local-1764037000000',
      inProgress: false,
    });
  });

  it('ignores what Spark does not write', () => {
    expect(parseEventLogName('.local-1.inprogress.crc')).toBeUndefined();
    expect(parseEventLogName('')).toBeUndefined();
    expect(parseEventLogName('checkpoints', true)).toBeUndefined();
    expect(parseEventLogName('eventlog_v2_', true)).toBeUndefined();
  });
});
