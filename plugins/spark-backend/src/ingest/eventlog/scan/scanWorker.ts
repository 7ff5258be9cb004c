import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TaskEventScanner } from '../taskEventScanner';
import { ScannedRecordWriter, type ScannedRecords } from './scannedRecords';

/** `workerData.role` of a scan worker: the module serves requests only when started as one. */
export const SCAN_WORKER_ROLE = 'spark-eventlog-task-scan';

/**
 * A batch of lines for a scan worker: line `i` is `bytes[starts[i], ends[i])`. Buffers move
 * between the threads instead of being copied, and come back to be used again.
 */
export interface ScanRequest {
  id: number;
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** The records buffer of a batch the aggregator is done with, to write into. */
  reuse?: ArrayBuffer;
}

export interface ScanResponse extends ScannedRecords {
  id: number;
  /** The request's `bytes` buffer, handed back. */
  bytes: ArrayBuffer;
  /** CPU time this thread has used so far, in microseconds. */
  cpuMicros: number;
}

/** Scans one batch: task events into records, any other line as its text (for JSON.parse). */
export function scanBatch(
  scanner: TaskEventScanner,
  request: Omit<ScanRequest, 'id'>,
): ScannedRecords {
  const bytes = Buffer.from(
    request.bytes.buffer,
    request.bytes.byteOffset,
    request.bytes.byteLength,
  );
  const { starts, ends } = request;
  // About 1 number per 40 bytes of task-end line; sized by the buffer, not the lines in it, so
  // the records of one batch are large enough to be written into again for the next.
  const writer = new ScannedRecordWriter(
    (request.bytes.buffer.byteLength >> 5) + 64,
    request.reuse,
  );
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = ends[i];
    switch (scanner.scan(bytes, start, end)) {
      case 'taskEnd':
        writer.taskEnd(scanner.taskEnd);
        break;
      case 'taskStart':
        writer.taskStart(scanner.taskStart);
        break;
      default:
        writer.json(bytes.toString('utf8', start, end));
    }
  }
  return writer.finish();
}

function threadCpuMicros(): number {
  const usage = process.threadCpuUsage();
  return usage.user + usage.system;
}

function serve(): void {
  const port = parentPort!;
  const scanner = new TaskEventScanner();
  port.on('message', (request: ScanRequest) => {
    const response: ScanResponse = {
      id: request.id,
      ...scanBatch(scanner, request),
      bytes: request.bytes.buffer as ArrayBuffer,
      cpuMicros: threadCpuMicros(),
    };
    port.postMessage(response, [
      response.bytes,
      response.records.buffer as ArrayBuffer,
    ]);
  });
}

if (!isMainThread && workerData?.role === SCAN_WORKER_ROLE) serve();
