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
  'pods-unschedulable',
  'resource-quota-exceeded',
  'image-pull-error',
  'bad-entrypoint',
  'pod-security-rejected',
  'openshift-scc-rejected',
  'rbac-forbidden',
  // operator
  'operator-submission-failed',
  'operator-not-reconciling',
  'operator-app-failure-rate',
  'scheduled-run-missed',
  'repeated-failures',
  // interactive
  'spark-connect-unavailable',
  'jupyter-spark-session',
  // orchestration
  'airflow-spark-task-failure',
  // observability
  'history-server-slow',
  'event-log-storage',
  // data
  'iceberg-commit-failure',
  'iceberg-metadata-bloat',
  'hive-metastore-unavailable',
  's3-access-denied',
  's3-throttling',
  // gpu
  'gpu-rapids',
  // upgrade
  'spark-4-upgrade',
  // backup
  'metastore-backup-restore',
  'portal-db-backup-restore',
  // cost
  'cost-spike',
  // slo
  'slo-burn-rate-page',
  'slo-burn-rate-ticket',
  'stale-data',
  'deadline-missed',
  'duration-regression',
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
  'pods-unschedulable': {
    category: 'kubernetes',
    title: {
      en: 'Spark pods unschedulable (Pending, FailedScheduling)',
      ru: 'Поды Spark не планируются (Pending, FailedScheduling)',
    },
  },
  'resource-quota-exceeded': {
    category: 'kubernetes',
    title: {
      en: 'Namespace resource quota exceeded',
      ru: 'Превышена квота ресурсов namespace',
    },
  },
  'image-pull-error': {
    category: 'kubernetes',
    title: {
      en: 'Image pull errors (ErrImagePull, ImagePullBackOff)',
      ru: 'Ошибки загрузки образа (ErrImagePull, ImagePullBackOff)',
    },
  },
  'bad-entrypoint': {
    category: 'kubernetes',
    title: {
      en: 'Bad image entrypoint (exit 126/127)',
      ru: 'Неверная точка входа образа (код 126/127)',
    },
  },
  'pod-security-rejected': {
    category: 'kubernetes',
    title: {
      en: 'Pods rejected by Pod Security admission',
      ru: 'Поды отклонены Pod Security admission',
    },
  },
  'openshift-scc-rejected': {
    category: 'kubernetes',
    title: {
      en: 'Pods rejected by OpenShift SCC',
      ru: 'Поды отклонены SCC в OpenShift',
    },
  },
  'rbac-forbidden': {
    category: 'kubernetes',
    title: {
      en: 'Driver service account forbidden (RBAC 403)',
      ru: 'Сервисному аккаунту драйвера запрещено действие (RBAC 403)',
    },
  },
  'operator-submission-failed': {
    category: 'operator',
    title: {
      en: 'SparkApplication submission failed (SUBMISSION_FAILED)',
      ru: 'Ошибка отправки SparkApplication (SUBMISSION_FAILED)',
    },
  },
  'operator-not-reconciling': {
    category: 'operator',
    title: {
      en: 'Spark operator down or not reconciling',
      ru: 'Spark operator недоступен или не обрабатывает приложения',
    },
  },
  'operator-app-failure-rate': {
    category: 'operator',
    title: {
      en: 'High SparkApplication failure rate',
      ru: 'Высокая доля упавших SparkApplication',
    },
  },
  'scheduled-run-missed': {
    category: 'operator',
    title: {
      en: 'ScheduledSparkApplication run missed',
      ru: 'Пропущен запуск ScheduledSparkApplication',
    },
  },
  'repeated-failures': {
    category: 'operator',
    title: {
      en: 'Same failure across runs',
      ru: 'Одна и та же ошибка в нескольких запусках',
    },
  },
  'spark-connect-unavailable': {
    category: 'interactive',
    title: {
      en: 'Spark Connect server unavailable',
      ru: 'Сервер Spark Connect недоступен',
    },
  },
  'jupyter-spark-session': {
    category: 'interactive',
    title: {
      en: 'Jupyter cannot start or keep a Spark session',
      ru: 'Jupyter не может запустить или удержать сессию Spark',
    },
  },
  'airflow-spark-task-failure': {
    category: 'orchestration',
    title: {
      en: 'Airflow Spark task failed or hangs',
      ru: 'Задача Spark в Airflow упала или зависла',
    },
  },
  'history-server-slow': {
    category: 'observability',
    title: {
      en: 'History Server slow or missing applications',
      ru: 'History Server тормозит или не показывает приложения',
    },
  },
  'event-log-storage': {
    category: 'observability',
    title: {
      en: 'Event-log storage: missing, oversized or unreadable logs',
      ru: 'Хранилище журналов событий: нет логов, логи слишком большие или нечитаемые',
    },
  },
  'iceberg-commit-failure': {
    category: 'data',
    title: {
      en: 'Iceberg commit failures',
      ru: 'Ошибки коммита в Iceberg',
    },
  },
  'iceberg-metadata-bloat': {
    category: 'data',
    title: {
      en: 'Iceberg table maintenance: snapshots, manifests, small files',
      ru: 'Обслуживание таблиц Iceberg: снапшоты, манифесты, мелкие файлы',
    },
  },
  'hive-metastore-unavailable': {
    category: 'data',
    title: {
      en: 'Hive Metastore unavailable or slow',
      ru: 'Hive Metastore недоступен или медленно отвечает',
    },
  },
  's3-access-denied': {
    category: 'data',
    title: {
      en: 'S3 access denied (403)',
      ru: 'Отказ в доступе к S3 (403)',
    },
  },
  's3-throttling': {
    category: 'data',
    title: {
      en: 'S3 throttling and slow object storage (503 SlowDown)',
      ru: 'Троттлинг S3 и медленное объектное хранилище (503 SlowDown)',
    },
  },
  'gpu-rapids': {
    category: 'gpu',
    title: {
      en: 'GPU executors and the RAPIDS Accelerator',
      ru: 'GPU executor-ы и RAPIDS Accelerator',
    },
  },
  'spark-4-upgrade': {
    category: 'upgrade',
    title: {
      en: 'Upgrading from Spark 3.5 to 4.x',
      ru: 'Переход со Spark 3.5 на 4.x',
    },
  },
  'metastore-backup-restore': {
    category: 'backup',
    title: {
      en: 'Back up and restore the Hive Metastore database',
      ru: 'Резервное копирование и восстановление базы Hive Metastore',
    },
  },
  'portal-db-backup-restore': {
    category: 'backup',
    title: {
      en: 'Back up and restore the portal database',
      ru: 'Резервное копирование и восстановление базы портала',
    },
  },
  'cost-spike': {
    category: 'cost',
    title: {
      en: 'Spark cost spike',
      ru: 'Резкий рост стоимости Spark',
    },
  },
  'slo-burn-rate-page': {
    category: 'slo',
    title: {
      en: 'SLO error budget burning fast (page)',
      ru: 'Быстрое сгорание бюджета ошибок SLO (page)',
    },
  },
  'slo-burn-rate-ticket': {
    category: 'slo',
    title: {
      en: 'SLO error budget burning slowly (ticket)',
      ru: 'Медленное сгорание бюджета ошибок SLO (ticket)',
    },
  },
  'stale-data': {
    category: 'slo',
    title: {
      en: 'Stale data: freshness SLO at risk',
      ru: 'Устаревшие данные: под угрозой SLO свежести',
    },
  },
  'deadline-missed': {
    category: 'slo',
    title: {
      en: 'Run missed its deadline',
      ru: 'Запуск не уложился в срок',
    },
  },
  'duration-regression': {
    category: 'slo',
    title: {
      en: 'Run duration regression (p95 above target)',
      ru: 'Рост длительности запусков (p95 выше цели)',
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
