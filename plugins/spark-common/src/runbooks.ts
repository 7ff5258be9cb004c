/**
 * The catalogue of operations runbooks in `runbooks/` (the TechDocs site of the catalog entity
 * `component:default/spark-runbooks`). Diagnosis rules, alert rules (`runbook_url`) and UI cards
 * refer to runbooks by these ids; a unit test keeps this list and the pages in step.
 */

/**
 * Languages every runbook is written in.
 *
 * @public
 */
export const RUNBOOK_LANGUAGES = ['en', 'ru'] as const;

/**
 * One of {@link RUNBOOK_LANGUAGES}.
 *
 * @public
 */
export type RunbookLanguage = (typeof RUNBOOK_LANGUAGES)[number];

/**
 * Runbook categories, in the order the index pages list them.
 *
 * @public
 */
export const RUNBOOK_CATEGORIES = [
  'memory',
  'performance',
  'shuffle',
  'executors',
  'kubernetes',
  'operator',
  'interactive',
  'orchestration',
  'observability',
  'data',
  'gpu',
  'upgrade',
  'backup',
  'cost',
  'slo',
] as const;

/**
 * One of {@link RUNBOOK_CATEGORIES}.
 *
 * @public
 */
export type RunbookCategory = (typeof RUNBOOK_CATEGORIES)[number];

/**
 * Text in each runbook language.
 *
 * @public
 */
export type RunbookText = Readonly<Record<RunbookLanguage, string>>;

/**
 * Titles of the runbook categories, as the index pages head them.
 *
 * @public
 */
export const RUNBOOK_CATEGORY_TITLES: Readonly<
  Record<RunbookCategory, RunbookText>
> = {
  memory: { en: 'Memory', ru: 'Память' },
  performance: {
    en: 'Performance and data layout',
    ru: 'Производительность и раскладка данных',
  },
  shuffle: { en: 'Shuffle', ru: 'Shuffle' },
  executors: {
    en: 'Executors and scaling',
    ru: 'Executor-ы и масштабирование',
  },
  kubernetes: {
    en: 'Kubernetes scheduling and admission',
    ru: 'Планирование и допуск подов в Kubernetes',
  },
  operator: { en: 'Spark operator', ru: 'Spark operator' },
  interactive: {
    en: 'Spark Connect and Jupyter',
    ru: 'Spark Connect и Jupyter',
  },
  orchestration: { en: 'Airflow', ru: 'Airflow' },
  observability: {
    en: 'History Server and event logs',
    ru: 'History Server и журналы событий',
  },
  data: {
    en: 'Iceberg, Hive Metastore and S3',
    ru: 'Iceberg, Hive Metastore и S3',
  },
  gpu: { en: 'GPU and RAPIDS', ru: 'GPU и RAPIDS' },
  upgrade: { en: 'Upgrades', ru: 'Обновления' },
  backup: { en: 'Backup and restore', ru: 'Резервное копирование' },
  cost: { en: 'Cost', ru: 'Стоимость' },
  slo: { en: 'SLOs', ru: 'SLO' },
};

/**
 * Every runbook id, grouped by category. Ids are stable: links from alerts and diagnoses
 * outlive any wording of a page, so an id is never renamed, only added.
 *
 * @public
 */
export const RUNBOOK_IDS = [
  // memory
  'driver-oom-killed',
  'executor-oom-killed',
  'executor-jvm-oom',
  'driver-jvm-oom',
  'driver-heap-pressure',
  'memory-overhead-too-small',
  'excessive-gc',
  'spill',
  // performance
  'data-skew',
  'too-many-small-tasks',
  'too-few-partitions',
  'small-files',
  'driver-bottleneck',
  'broadcast-too-large',
  'scheduler-delay',
  'job-stuck',
  // shuffle
  'fetch-failures',
  'shuffle-service-missing',
  'celeborn-shuffle',
  'local-disk-full',
  // executors
  'executor-lost',
  'executor-heartbeat-timeout',
  'task-failures-high',
  'spot-node-loss',
  'executor-decommissioning',
  'dynamic-allocation-not-scaling',
  'executors-below-requested',
  'idle-executors',
  // kubernetes
  // operator
  // interactive
  // orchestration
  // observability
  // data
  // gpu
  // upgrade
  // backup
  // cost
  // slo
] as const;

/**
 * The id of a runbook, one of {@link RUNBOOK_IDS}.
 *
 * @public
 */
export type RunbookId = (typeof RUNBOOK_IDS)[number];

/**
 * One runbook of the catalogue.
 *
 * @public
 */
export type Runbook = {
  id: RunbookId;
  category: RunbookCategory;
  title: RunbookText;
};

// A Record keyed by RunbookId makes the compiler refuse an id without its entry.
const RUNBOOK_ENTRIES: Readonly<Record<RunbookId, Omit<Runbook, 'id'>>> = {
  'driver-oom-killed': {
    category: 'memory',
    title: {
      en: 'Driver container OOMKilled',
      ru: 'Контейнер драйвера убит по OOM (OOMKilled)',
    },
  },
  'executor-oom-killed': {
    category: 'memory',
    title: {
      en: 'Executor container OOMKilled',
      ru: 'Контейнер executor-а убит по OOM (OOMKilled)',
    },
  },
  'executor-jvm-oom': {
    category: 'memory',
    title: {
      en: 'Executor JVM out of memory (exit 52)',
      ru: 'Нехватка heap в JVM executor-а (код 52)',
    },
  },
  'driver-jvm-oom': {
    category: 'memory',
    title: {
      en: 'Driver JVM out of memory',
      ru: 'Нехватка heap в JVM драйвера',
    },
  },
  'driver-heap-pressure': {
    category: 'memory',
    title: {
      en: 'Driver heap usage high',
      ru: 'Высокое заполнение heap драйвера',
    },
  },
  'memory-overhead-too-small': {
    category: 'memory',
    title: {
      en: 'Memory overhead too small',
      ru: 'Слишком маленький memory overhead',
    },
  },
  'excessive-gc': {
    category: 'memory',
    title: {
      en: 'Excessive garbage collection',
      ru: 'Избыточная сборка мусора (GC)',
    },
  },
  spill: {
    category: 'memory',
    title: {
      en: 'Memory and disk spill',
      ru: 'Вытеснение данных на диск (spill)',
    },
  },
  'data-skew': {
    category: 'performance',
    title: { en: 'Data skew', ru: 'Перекос данных (skew)' },
  },
  'too-many-small-tasks': {
    category: 'performance',
    title: {
      en: 'Too many small tasks',
      ru: 'Слишком много мелких задач',
    },
  },
  'too-few-partitions': {
    category: 'performance',
    title: {
      en: 'Too few partitions',
      ru: 'Слишком мало партиций',
    },
  },
  'small-files': {
    category: 'performance',
    title: {
      en: 'Small files on input or output',
      ru: 'Мелкие файлы на входе или выходе',
    },
  },
  'driver-bottleneck': {
    category: 'performance',
    title: {
      en: 'Driver as the bottleneck (collect, large results)',
      ru: 'Драйвер как узкое место (collect, большие результаты)',
    },
  },
  'broadcast-too-large': {
    category: 'performance',
    title: {
      en: 'Broadcast too large',
      ru: 'Слишком большой broadcast',
    },
  },
  'scheduler-delay': {
    category: 'performance',
    title: {
      en: 'Long scheduler delay',
      ru: 'Большая задержка планировщика (scheduler delay)',
    },
  },
  'job-stuck': {
    category: 'performance',
    title: {
      en: 'Job stuck: no task progress',
      ru: 'Задание зависло: задачи не продвигаются',
    },
  },
  'fetch-failures': {
    category: 'shuffle',
    title: {
      en: 'Shuffle fetch failures and stage retries',
      ru: 'Ошибки чтения shuffle (FetchFailed) и повторы стадий',
    },
  },
  'shuffle-service-missing': {
    category: 'shuffle',
    title: {
      en: 'Dynamic allocation without shuffle tracking or shuffle service',
      ru: 'Dynamic allocation без shuffle tracking и shuffle-сервиса',
    },
  },
  'celeborn-shuffle': {
    category: 'shuffle',
    title: {
      en: 'Celeborn remote shuffle failures',
      ru: 'Сбои удалённого shuffle в Celeborn',
    },
  },
  'local-disk-full': {
    category: 'shuffle',
    title: {
      en: 'Local disk full (exit 53, no space left on device)',
      ru: 'Закончилось место на локальном диске (код 53, No space left on device)',
    },
  },
  'executor-lost': {
    category: 'executors',
    title: {
      en: 'Executors lost (ExecutorLostFailure)',
      ru: 'Потеря executor-ов (ExecutorLostFailure)',
    },
  },
  'executor-heartbeat-timeout': {
    category: 'executors',
    title: {
      en: 'Executor heartbeat timeout (exit 56)',
      ru: 'Таймаут heartbeat executor-а (код 56)',
    },
  },
  'task-failures-high': {
    category: 'executors',
    title: {
      en: 'High task failure rate',
      ru: 'Высокая доля упавших задач',
    },
  },
  'spot-node-loss': {
    category: 'executors',
    title: {
      en: 'Spot node loss and preemption',
      ru: 'Потеря spot-узлов и вытеснение подов',
    },
  },
  'executor-decommissioning': {
    category: 'executors',
    title: {
      en: 'Graceful executor decommissioning',
      ru: 'Плавный вывод executor-ов (decommissioning)',
    },
  },
  'dynamic-allocation-not-scaling': {
    category: 'executors',
    title: {
      en: 'Dynamic allocation does not scale',
      ru: 'Dynamic allocation не масштабирует executor-ы',
    },
  },
  'executors-below-requested': {
    category: 'executors',
    title: {
      en: 'Fewer executors running than requested',
      ru: 'Запущено меньше executor-ов, чем запрошено',
    },
  },
  'idle-executors': {
    category: 'executors',
    title: {
      en: 'Idle executors and over-provisioning',
      ru: 'Простаивающие executor-ы и избыточные ресурсы',
    },
  },
};

/**
 * Every runbook, in the order of {@link RUNBOOK_IDS}.
 *
 * @public
 */
export const RUNBOOKS: readonly Runbook[] = RUNBOOK_IDS.map(id => ({
  id,
  ...RUNBOOK_ENTRIES[id],
}));

/**
 * The catalog entity whose TechDocs site holds the runbooks.
 *
 * @public
 */
export const RUNBOOKS_ENTITY = {
  namespace: 'default',
  kind: 'component',
  name: 'spark-runbooks',
} as const;

/**
 * Tells whether a string is a runbook id, for ids read from config or rule files.
 *
 * @public
 */
export function isRunbookId(value: string): value is RunbookId {
  return Object.prototype.hasOwnProperty.call(RUNBOOK_ENTRIES, value);
}

/**
 * The catalogue entry of a runbook.
 *
 * @public
 */
export function getRunbook(id: RunbookId): Runbook {
  return { id, ...RUNBOOK_ENTRIES[id] };
}

/**
 * The path of a runbook page in the portal's TechDocs, for example
 * `/docs/default/component/spark-runbooks/en/executor-oom-killed/`.
 *
 * @public
 */
export function runbookPath(
  id: RunbookId,
  language: RunbookLanguage = 'en',
): string {
  const { namespace, kind, name } = RUNBOOKS_ENTITY;
  return `/docs/${namespace}/${kind}/${name}/${language}/${id}/`;
}

/**
 * The absolute URL of a runbook page, for alert rules' `runbook_url`.
 *
 * @param appBaseUrl - the portal's `app.baseUrl`, e.g. `https://portal.example.com`
 * @public
 */
export function runbookUrl(
  appBaseUrl: string,
  id: RunbookId,
  language: RunbookLanguage = 'en',
): string {
  return `${appBaseUrl.replace(/\/+$/, '')}${runbookPath(id, language)}`;
}
