import { z } from 'zod';
import { SPARK_APP_STATES, type SparkAppState } from './model';

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

// Typed by its alias, so the API report names SparkAppState instead of listing the states.
const appState: z.ZodType<SparkAppState> = z.enum(SPARK_APP_STATES);

/**
 * The columns `GET /apps` sorts by: the start time, the run's duration, its priced cost.
 *
 * @public
 */
export const SPARK_APP_SORT_KEYS: readonly SparkAppSortKey[] = [
  'start',
  'duration',
  'cost',
];

/**
 * A column `GET /apps` sorts by.
 *
 * @public
 */
export type SparkAppSortKey = 'start' | 'duration' | 'cost';

/**
 * The direction of a sort.
 *
 * @public
 */
export type SparkSortOrder = 'asc' | 'desc';

// Typed by their aliases, so the API report names them instead of listing the values.
const appSortKey: z.ZodType<SparkAppSortKey> = z.enum([
  'start',
  'duration',
  'cost',
]);
const sortOrder: z.ZodType<SparkSortOrder> = z.enum(['asc', 'desc']);

/**
 * The query of `GET /apps`: filters, a time window on the start time, a sort and a page.
 * Apps without a value of the sort column (running apps have no duration, unpriced apps no
 * cost) come last in both orders.
 *
 * @public
 */
export const sparkAppListQuerySchema = z
  .object({
    entityRef: entityRef.optional(),
    teamRef: entityRef.optional(),
    cluster: z.string().min(1).max(253).optional(),
    namespace: z.string().min(1).max(253).optional(),
    state: commaList(appState).optional(),
    /** Apps that started at or after this time. */
    from: isoTime.optional(),
    /** Apps that started before this time. */
    to: isoTime.optional(),
    /** The column to sort by; default `start`. */
    sort: appSortKey.default('start'),
    /** Default `desc`: the newest, longest or most expensive first. */
    order: sortOrder.default('desc'),
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

/**
 * The query of `GET /cost/summary`: a team (with its child teams), a Component, a namespace or
 * a cluster, over `[from, to)` (default: the current calendar month).
 *
 * @public
 */
export const sparkCostQuerySchema = z
  .object({
    teamRef: entityRef.optional(),
    entityRef: entityRef.optional(),
    namespace: z.string().min(1).max(253).optional(),
    cluster: z.string().min(1).max(253).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .strict()
  .refine(q => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  })
  .refine(
    q =>
      !q.from ||
      !q.to ||
      Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000,
    { message: 'the period may span at most 400 days', path: ['to'] },
  );

/**
 * The query of `GET /slo/status` and `GET /slo/rules`: one Component or one team; the rules
 * route also takes neither (every SLO).
 *
 * @public
 */
export const sparkSloQuerySchema = z
  .object({
    entityRef: entityRef.optional(),
    teamRef: entityRef.optional(),
  })
  .strict();
