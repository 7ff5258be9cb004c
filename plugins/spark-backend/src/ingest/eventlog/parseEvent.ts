import type { EventLogAggregator } from './aggregator';
import { TaskEventScanner } from './taskEventScanner';

/** A line that is not JSON. */
export class EventLineSyntaxError extends Error {}

/**
 * Feeds event-log lines to an aggregator. Task events, nearly all of a log, are read from
 * their bytes by the {@link TaskEventScanner}; every other line, and any task line it does not
 * recognise, is decoded and given to JSON.parse, so both paths end in the same state.
 */
export class EventLineConsumer {
  private readonly scanner = new TaskEventScanner();

  constructor(private readonly aggregator: EventLogAggregator) {}

  /** Consumes the line `bytes[start, end)`; throws EventLineSyntaxError when it is not JSON. */
  consume(bytes: Buffer, start: number, end: number): void {
    const scanner = this.scanner;
    switch (scanner.scan(bytes, start, end)) {
      case 'taskEnd':
        this.aggregator.consumeTaskEnd(scanner.taskEnd);
        return;
      case 'taskStart':
        this.aggregator.consumeTaskStart(scanner.taskStart);
        return;
      default: {
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(bytes.toString('utf8', start, end));
        } catch (error) {
          throw new EventLineSyntaxError((error as Error).message);
        }
        this.aggregator.consume(event);
      }
    }
  }
}
