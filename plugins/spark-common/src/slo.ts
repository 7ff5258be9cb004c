import { z } from 'zod';
import { isRunbookId } from './runbooks';

/**
 * SLO specs of Spark jobs: OpenSLO v1 `SLO` documents whose indicator is computed from the
 * portal's stored run history (`spec.indicator.spec.sparkRuns`). A Component points at its
 * spec file with the annotation {@link SPARK_SLO_ANNOTATION}.
 */

/**
 * The Component annotation naming the SLO spec file, relative to the entity's own file,
 * e.g. `spark-k8s.io/slo: ./slo/settlement-etl.yaml`.
 *
 * @public
 */
export const SPARK_SLO_ANNOTATION = 'spark-k8s.io/slo';

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds of a Prometheus-style duration (`5m`, `6h`, `30d`); undefined when it is not one.
 *
 * @public
 */
export function parseSloDuration(value: string): number | undefined {
  const match = DURATION.exec(value);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : undefined;
}

/**
 * A duration the way Prometheus writes it: the largest unit that divides it (`90m` → `90m`,
 * `120m` → `2h`).
 *
 * @public
 */
export function formatSloDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) {
      return `${ms / UNIT_MS[unit]}${unit}`;
    }
  }
  return `${Math.max(1, Math.round(ms))}ms`;
}

const duration = z
  .string()
  .refine(
    value => (parseSloDuration(value) ?? 0) > 0,
    'must be a duration such as 30d, 6h or 45m',
  );

const timeZone = z.string().refine(zone => {
  try {
    return Boolean(new Intl.DateTimeFormat('en', { timeZone: zone }));
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

const sparkRunsIndicatorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('success-ratio') }).strict(),
  z.object({ type: z.literal('submission-success') }).strict(),
  z
    .object({
      type: z.literal('freshness'),
      /** The data is stale when the last successful run ended longer ago than this. */
      maxAge: duration,
    })
    .strict(),
  z
    .object({
      type: z.literal('deadline'),
      /** Local time of day a successful run must have finished by, `HH:MM`. */
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM'),
      timeZone,
    })
    .strict(),
  z
    .object({
      type: z.literal('duration-p95'),
      /** A run is good when it succeeded within this duration. */
      target: duration,
    })
    .strict(),
]);

/**
 * The schema of one SLO document (OpenSLO v1 `SLO` with a `sparkRuns` indicator).
 *
 * @public
 */
export const sparkSloSpecSchema = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLO'),
  metadata: z.object({
    name: z
      .string()
      .max(63)
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'must be a DNS label: lower-case letters, digits and -',
      ),
    displayName: z.string().min(1).max(200).optional(),
  }),
  spec: z.object({
    description: z.string().max(2000).optional(),
    service: z.string().max(253).optional(),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices']).optional(),
    timeWindow: z
      .array(
        z
          .object({
            duration: duration.refine(
              value => (parseSloDuration(value) ?? Infinity) >= UNIT_MS.d,
              'must be at least 1d',
            ),
            isRolling: z.literal(true).default(true),
          })
          .strict(),
      )
      .length(1, 'must hold exactly one rolling window'),
    objectives: z
      .array(
        z
          .object({
            displayName: z.string().max(200).optional(),
            target: z
              .number()
              .gt(0, 'must be above 0')
              .lt(1, 'must be below 1 (0.99 = 99 %)'),
          })
          .strict(),
      )
      .length(1, 'must hold exactly one objective'),
    indicator: z.object({
      metadata: z
        .object({ name: z.string().max(253) })
        .partial()
        .optional(),
      spec: z.object({ sparkRuns: sparkRunsIndicatorSchema }),
    }),
    /** Runbook id of alerts and cards, one of `RUNBOOK_IDS`. */
    runbook: z
      .string()
      // Not a type guard: the API report would print every runbook id, in an unstable order.
      .refine(
        (value): boolean => isRunbookId(value),
        'must be a runbook id listed in runbooks.ts',
      )
      .optional(),
  }),
});

/**
 * One SLO document, parsed.
 *
 * @public
 */
export type SparkSloSpec = z.infer<typeof sparkSloSpecSchema>;

/**
 * The `sparkRuns` indicator of an SLO.
 *
 * @public
 */
export type SparkRunsIndicator =
  SparkSloSpec['spec']['indicator']['spec']['sparkRuns'];

/**
 * The outcome of validating the documents of one spec file: the valid SLOs and, per invalid
 * document, an error naming the document and the field.
 *
 * @public
 */
export interface SparkSloValidation {
  /** The valid SLO documents. */
  specs: SparkSloSpec[];
  /** One line per problem: file, document number, field and what is wrong. */
  errors: string[];
}

/**
 * Validates the documents of a spec file (already parsed from YAML); `where` names the file
 * in error messages. SLO names must be unique within the file.
 *
 * @public
 */
export function validateSloDocuments(
  documents: unknown[],
  where: string,
): SparkSloValidation {
  const specs: SparkSloSpec[] = [];
  const errors: string[] = [];
  const names = new Set<string>();
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    const result = sparkSloSpecSchema.safeParse(document);
    if (!result.success) {
      for (const issue of result.error.issues.slice(0, 3)) {
        const field = issue.path.length ? issue.path.join('.') : '(document)';
        errors.push(
          `${where} document ${index + 1}: ${field}: ${issue.message}`,
        );
      }
      return;
    }
    if (names.has(result.data.metadata.name)) {
      errors.push(
        `${where} document ${index + 1}: metadata.name: ${
          result.data.metadata.name
        } is used twice`,
      );
      return;
    }
    names.add(result.data.metadata.name);
    specs.push(result.data);
  });
  return { specs, errors };
}
