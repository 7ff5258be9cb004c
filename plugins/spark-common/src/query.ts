import { z } from 'zod';
import { SPARK_APP_STATES } from './model';

const commaList = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    value =>
      typeof value === 'string'
        ? value
            .split(',')
            .map(part => part.trim())
            .filter(Boolean)
        : value,
    z.array(item).min(1),
  );

const entityRef = z
  .string()
  .regex(
    /^[a-z]+:[^:/\s]+\/[^:/\s]+$/i,
    'must be a full entity ref such as component:default/settlement-etl',
  );

const isoTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 time' });

/**
 * The query of `GET /apps`: filters, a time window on the start time, and a page.
 *
 * @public
 */
export const sparkAppListQuerySchema = z
  .object({
    entityRef: entityRef.optional(),
    teamRef: entityRef.optional(),
    cluster: z.string().min(1).max(253).optional(),
    namespace: z.string().min(1).max(253).optional(),
    state: commaList(z.enum(SPARK_APP_STATES)).optional(),
    /** Apps that started at or after this time. */
    from: isoTime.optional(),
    /** Apps that started before this time. */
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

/**
 * The parsed query of `GET /apps`.
 *
 * @public
 */
export type SparkAppListQuery = z.infer<typeof sparkAppListQuerySchema>;
