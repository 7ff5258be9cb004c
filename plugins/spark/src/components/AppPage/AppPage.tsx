import { parseEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  useTranslationRef,
  type TranslationFunction,
} from '@backstage/core-plugin-api/alpha';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Chip,
  Grid,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  sparkAppSensitiveReadPermission,
  sparkCostReadPermission,
  type SparkAppDetails,
  type SparkPodCost,
  type SparkDiagnosis,
  type SparkExecutorSummary,
  type SparkFailure,
  type SparkKubernetesObject,
  type SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';
import { useState, type ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  useLocale,
} from '../../format';
import { displayStateOf, stageIndicators, valueAt } from '../../model';
import { appTroubleshootRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
import { AppStateChip } from '../AppStateChip';
import { SparkAppErrorNotice, SparkErrorNotice } from '../SparkErrorNotice';
import { SparkNotice } from '../SparkNotice';
import { RunbookLink } from '../RunbookLink';
import { Timeline } from './Timeline';

type T = TranslationFunction<typeof sparkTranslationRef.T>;

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
  },
  indicator: { marginRight: theme.spacing(0.5) },
  pre: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: 0,
  },
}));

function Facts(props: { rows: Array<[string, ReactNode]> }) {
  const classes = useStyles();
  return (
    <Box className={classes.facts}>
      {props.rows.map(([label, value]) => (
        <Box key={label} display="contents">
          <Typography variant="body2" color="textSecondary">
            {label}
          </Typography>
          <Typography variant="body2" component="div">
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** The path of a tab of a catalog entity, e.g. its Kubernetes or Spark tab. */
function useEntityTabLink(entityRef: string | undefined, tab: string) {
  const entityLink = useRouteRef(entityRouteRef);
  if (!entityRef) return undefined;
  const ref = parseEntityRef(entityRef);
  return `${entityLink({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace,
    name: ref.name,
  })}/${tab}`;
}

/** One Spark app: summary, failures, diagnoses, jobs and stages, executors, Kubernetes, env. */
export function AppPage(props: { appId: string }) {
  const { appId } = props;
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => sparkApi.getApp(appId),
    [sparkApi, appId],
  );
  if (loading) return <Progress />;
  if (error) {
    return <SparkAppErrorNotice appId={appId} error={error} retry={retry} />;
  }
  if (!value) return null;
  return <AppDetailsView details={value} />;
}

function AppDetailsView(props: { details: SparkAppDetails }) {
  const { app, jobs, stages, executors, failures, kubernetes } = props.details;
  const { t } = useTranslationRef(sparkTranslationRef);
  const locale = useLocale();
  const m = app.metrics;
  const na = t('table.notAvailable');
  const sparkTab = useEntityTabLink(app.attribution.entityRef, 'spark');
  const troubleshootLink = useRouteRef(appTroubleshootRouteRef);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          style={{ gap: 16 }}
          flexWrap="wrap"
        >
          <Typography variant="h4" component="h1">
            {app.name}
          </Typography>
          <AppStateChip state={displayStateOf(app, kubernetes)} />
          <LinkButton
            variant="outlined"
            color="primary"
            to={troubleshootLink({ appId: app.id })}
            title={t('wizard.openHint')}
          >
            {t('wizard.open')}
          </LinkButton>
        </Box>
        {sparkTab && app.attribution.entityRef && (
          <Link to={sparkTab}>
            {t('app.back', {
              name: parseEntityRef(app.attribution.entityRef).name,
            })}
          </Link>
        )}
        {!app.complete && (
          <Typography variant="body2" color="textSecondary">
            {t('app.partial')}
          </Typography>
        )}
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('app.summary')}>
          <Facts
            rows={[
              [t('app.id'), app.id],
              [
                t('app.component'),
                app.attribution.entityRef ? (
                  <EntityRefLink entityRef={app.attribution.entityRef} />
                ) : (
                  na
                ),
              ],
              [
                t('app.owner'),
                app.attribution.teamRef ? (
                  <EntityRefLink
                    entityRef={app.attribution.teamRef}
                    defaultKind="group"
                  />
                ) : (
                  na
                ),
              ],
              [t('table.start'), formatDateTime(app.startTime, locale)],
              [t('app.end'), formatDateTime(app.endTime, locale)],
              [t('table.duration'), formatDuration(app.durationMs, locale)],
              [
                t('table.cost'),
                app.cost
                  ? formatMoney(app.cost.amount, app.cost.currency, locale)
                  : na,
              ],
              [t('table.slo'), app.slo ? t(`slo.${app.slo.state}`) : na],
              [t('table.cluster'), app.cluster ?? na],
              [t('app.namespace'), app.namespace ?? na],
              [t('table.sparkVersion'), app.sparkVersion ?? na],
              [t('app.user'), app.user ?? na],
              [
                t('app.attempts'),
                app.attempts.filter(Boolean).join(', ') || na,
              ],
              [t('app.sources'), app.sources.join(', ')],
              ...(app.failureReason
                ? [
                    [t('app.failureReason'), app.failureReason] as [
                      string,
                      string,
                    ],
                  ]
                : []),
            ]}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('app.totals')}>
          <Facts
            rows={[
              [t('app.jobs'), m ? `${m.jobs} (${m.failedJobs} ✗)` : na],
              [t('app.stages'), m ? `${m.stages} (${m.failedStages} ✗)` : na],
              [t('app.tasks'), formatNumber(m?.tasks, locale)],
              [t('app.failedTasks'), formatNumber(m?.failedTasks, locale)],
              [t('app.executors'), formatNumber(m?.executors, locale)],
              [
                t('app.maxExecutors'),
                formatNumber(m?.maxConcurrentExecutors, locale),
              ],
              [
                t('app.coreHours'),
                formatNumber(
                  m ? m.executorCoreMs / 3_600_000 : undefined,
                  locale,
                  2,
                ),
              ],
              [
                t('app.gcShare'),
                formatPercent(
                  m && m.executorRunTimeMs > 0
                    ? m.jvmGcTimeMs / m.executorRunTimeMs
                    : undefined,
                  locale,
                ),
              ],
              [
                t('app.spilled'),
                m
                  ? `${formatBytes(
                      m.memoryBytesSpilled,
                      locale,
                    )} / ${formatBytes(m.diskBytesSpilled, locale)}`
                  : na,
              ],
              [
                t('app.shuffle'),
                m
                  ? `${formatBytes(m.shuffleReadBytes, locale)} / ${formatBytes(
                      m.shuffleWriteBytes,
                      locale,
                    )}`
                  : na,
              ],
              [
                t('app.input'),
                m
                  ? `${formatBytes(m.inputBytes, locale)} / ${formatBytes(
                      m.outputBytes,
                      locale,
                    )}`
                  : na,
              ],
            ]}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <CostCard appId={app.id} t={t} locale={locale} />
      </Grid>
      <Grid item xs={12}>
        <FailuresCard failures={failures} t={t} />
      </Grid>
      <Grid item xs={12}>
        <DiagnosesCard appId={app.id} t={t} locale={locale} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={t('app.jobsAndStages')}>
          {jobs.length === 0 ? (
            <Typography variant="body2">{t('app.noJobs')}</Typography>
          ) : (
            <>
              <Typography variant="subtitle2">{t('app.timeline')}</Typography>
              <Timeline
                jobs={jobs}
                stages={stages}
                locale={locale}
                jobLabel={id => t('app.job', { id: String(id) })}
                stageLabel={t('app.stage')}
              />
              <Box mt={2}>
                <StagesTable stages={stages} t={t} locale={locale} />
              </Box>
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ExecutorsTable executors={executors} t={t} locale={locale} />
      </Grid>
      <Grid item xs={12}>
        <KubernetesCard
          objects={kubernetes}
          entityRef={app.attribution.entityRef}
          t={t}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <EnvironmentCard appId={app.id} t={t} />
      </Grid>
      <Grid item xs={12} md={6}>
        <LogsCard appId={app.id} t={t} />
      </Grid>
    </Grid>
  );
}

/** How the run was priced: the basis, the idle share, and each pod's node pool, spot and cost. */
function CostCard(props: { appId: string; t: T; locale: string }) {
  const { t, locale } = props;
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => sparkApi.getAppCost(props.appId),
    [sparkApi, props.appId],
  );
  const title = t('appCost.title');
  if (loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={title}>
        <SparkErrorNotice
          error={error}
          retry={retry}
          permission={sparkCostReadPermission.name}
        />
      </InfoCard>
    );
  }
  if (!value) {
    return (
      <InfoCard title={title}>
        <Typography variant="body2">{t('appCost.notPriced')}</Typography>
      </InfoCard>
    );
  }
  const money = (amount: number) => formatMoney(amount, value.currency, locale);
  const yes = t('appCost.yes');
  const no = t('appCost.no');
  const columns: TableColumn<SparkPodCost>[] = [
    {
      title: t('appCost.pod'),
      field: 'name',
      render: p => <span style={{ whiteSpace: 'nowrap' }}>{p.name}</span>,
    },
    {
      title: t('appCost.nodeAndPool'),
      render: p => (
        <>
          <Typography variant="body2">{p.node ?? '—'}</Typography>
          <Typography variant="caption" color="textSecondary">
            {p.nodePool ?? t('appCost.noPool')}
          </Typography>
        </>
      ),
    },
    {
      title: t('appCost.spot'),
      render: p =>
        p.spot ? `${yes} (−${formatPercent(p.discount, locale, 0)})` : no,
    },
    {
      title: t('appCost.hours'),
      type: 'numeric',
      render: p => formatNumber(p.hours, locale, 2),
    },
    {
      title: t('appCost.resources'),
      render: p => (
        <>
          <Typography variant="body2">
            {`${formatNumber(p.cpu, locale, 2)} vCPU · ${formatNumber(
              p.memoryGiB,
              locale,
              2,
            )} GiB${p.gpu ? ` · ${formatNumber(p.gpu, locale)} GPU` : ''}`}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {t(`appCost.basisOf.${p.basis}`)}
          </Typography>
        </>
      ),
    },
    {
      title: t('appCost.cost'),
      type: 'numeric',
      render: p => money(p.cost),
    },
  ];
  return (
    <InfoCard title={title}>
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        <Facts
          rows={[
            [t('appCost.total'), money(value.total)],
            [
              t('appCost.basis'),
              <span data-testid="app-cost-basis">
                {t(`appCost.basisOf.${value.basis}`)}
                {value.usageKnown ? '' : ` · ${t('appCost.noUsage')}`}
              </span>,
            ],
            [
              t('appCost.from'),
              `${t(`appCost.fromOf.${value.from}`)} (${value.model})`,
            ],
            [
              t('appCost.wasted'),
              value.wasted
                ? t('appCost.wastedValue', {
                    share: formatPercent(value.wasted.share, locale, 0),
                    cost: money(value.wasted.cost),
                  })
                : t('table.notAvailable'),
            ],
          ]}
        />
        {value.pods.length > 0 && (
          <Table<SparkPodCost>
            columns={columns}
            data={value.pods}
            options={{
              paging: value.pods.length > 20,
              pageSize: 20,
              search: false,
              toolbar: false,
              padding: 'dense',
            }}
          />
        )}
      </Box>
    </InfoCard>
  );
}

/**
 * A titled, dense table of the app's rows, paged beyond `pageSize` of them; with `empty`, a
 * card saying so when there are none.
 */
function DetailTable<R extends object>(props: {
  title: string;
  columns: TableColumn<R>[];
  rows: R[];
  empty?: string;
  pageSize?: number;
}) {
  const { title, columns, rows, empty, pageSize = 20 } = props;
  if (rows.length === 0 && empty !== undefined) {
    return (
      <InfoCard title={title}>
        <Typography variant="body2">{empty}</Typography>
      </InfoCard>
    );
  }
  return (
    <Table<R>
      title={title}
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > pageSize,
        pageSize,
        search: false,
        padding: 'dense',
      }}
    />
  );
}

function FailuresCard(props: { failures: SparkFailure[]; t: T }) {
  const { t } = props;
  const classes = useStyles();
  const columns: TableColumn<SparkFailure>[] = [
    {
      title: t('app.scope'),
      field: 'scope',
      render: f => t(`app.scopes.${f.scope}`),
    },
    { title: t('app.where'), field: 'id' },
    { title: t('app.reason'), field: 'reason' },
    {
      title: t('app.message'),
      field: 'message',
      render: f => <pre className={classes.pre}>{f.message ?? ''}</pre>,
    },
    { title: t('app.count'), field: 'count', type: 'numeric' },
  ];
  return (
    <DetailTable
      title={t('app.failures')}
      columns={columns}
      rows={props.failures}
      empty={t('app.noFailures')}
      pageSize={10}
    />
  );
}

function DiagnosesCard(props: { appId: string; t: T; locale: string }) {
  const { t } = props;
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => sparkApi.listDiagnoses(props.appId),
    [sparkApi, props.appId],
  );
  let body: ReactNode;
  if (loading) body = <Progress />;
  else if (error) body = <SparkErrorNotice error={error} retry={retry} />;
  else if (value === undefined)
    body = (
      <SparkNotice
        kind="info"
        title={t('app.diagnosesNotAvailableTitle')}
        hint={t('app.diagnosesNotAvailable')}
      />
    );
  else if (value.length === 0)
    body = <Typography variant="body2">{t('app.noDiagnoses')}</Typography>;
  else
    body = (
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        {value.map((d: SparkDiagnosis) => (
          <Box
            key={`${d.ruleId}-${d.scope ?? ''}`}
            data-testid="spark-diagnosis"
          >
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <Chip
                size="small"
                label={t(`app.severity.${d.severity}`)}
                color={d.severity === 'critical' ? 'secondary' : 'default'}
              />
              <Typography variant="subtitle1">{d.title}</Typography>
              {d.scope && (
                <Typography variant="caption" color="textSecondary">
                  {d.scope}
                </Typography>
              )}
            </Box>
            <Typography variant="body2">{d.summary}</Typography>
            {d.evidence.length > 0 && (
              <ul>
                {d.evidence.map(e => (
                  <li key={e.label}>
                    <Typography variant="body2">
                      {e.label}: <strong>{e.value}</strong>
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
            {d.runbookId && <RunbookLink id={d.runbookId} t={t} />}
          </Box>
        ))}
      </Box>
    );
  return <InfoCard title={t('app.diagnoses')}>{body}</InfoCard>;
}

function StagesTable(props: {
  stages: SparkStageSummary[];
  t: T;
  locale: string;
}) {
  const { t, locale } = props;
  const classes = useStyles();
  const columns: TableColumn<SparkStageSummary>[] = [
    {
      title: t('app.stage'),
      field: 'stageId',
      render: s => `${s.stageId}.${s.attemptId}`,
    },
    { title: t('app.objectName'), field: 'name' },
    { title: t('app.status'), field: 'status' },
    {
      title: t('app.tasks'),
      field: 'numTasks',
      type: 'numeric',
      render: s =>
        s.numFailedTasks > 0
          ? `${s.numTasks} (${s.numFailedTasks} ✗)`
          : String(s.numTasks),
    },
    {
      title: t('app.taskDuration'),
      render: s => {
        const q = s.quantiles;
        if (!q) return t('table.notAvailable');
        return `${formatDuration(
          valueAt(q.quantiles, q.durationMs, 0.5),
          locale,
        )} / ${formatDuration(q.durationMs[q.durationMs.length - 1], locale)}`;
      },
    },
    {
      title: t('app.indicators'),
      render: s => {
        const ind = stageIndicators(s);
        return (
          <>
            {ind.skewed && (
              <Chip
                size="small"
                color="secondary"
                className={classes.indicator}
                label={t('app.skew', {
                  ratio: formatNumber(ind.skewRatio, locale, 1),
                })}
              />
            )}
            {ind.spilled && (
              <Chip
                size="small"
                className={classes.indicator}
                label={`${t('app.spill')} ${formatBytes(
                  s.metrics.memoryBytesSpilled + s.metrics.diskBytesSpilled,
                  locale,
                )}`}
              />
            )}
            {ind.gcHeavy && (
              <Chip
                size="small"
                className={classes.indicator}
                label={t('app.gc', {
                  percent: formatPercent(ind.gcShare, locale, 0),
                })}
              />
            )}
          </>
        );
      },
    },
    {
      title: t('app.failureReason'),
      field: 'failureReason',
      render: s =>
        s.failureReason ? (
          <pre className={classes.pre}>{s.failureReason}</pre>
        ) : (
          ''
        ),
    },
  ];
  return (
    <DetailTable
      title={t('app.stages')}
      columns={columns}
      rows={props.stages}
    />
  );
}

function ExecutorsTable(props: {
  executors: SparkExecutorSummary[];
  t: T;
  locale: string;
}) {
  const { t, locale } = props;
  const columns: TableColumn<SparkExecutorSummary>[] = [
    { title: t('app.executor'), field: 'executorId' },
    { title: t('app.host'), field: 'host' },
    { title: t('app.cores'), field: 'cores', type: 'numeric' },
    {
      title: t('app.added'),
      field: 'addTime',
      render: e => formatDateTime(e.addTime, locale),
    },
    {
      title: t('app.removed'),
      field: 'removeTime',
      render: e => formatDateTime(e.removeTime, locale),
    },
    { title: t('app.removeReason'), field: 'removeReason' },
    {
      title: t('app.tasks'),
      field: 'completedTasks',
      type: 'numeric',
      render: e =>
        e.failedTasks > 0
          ? `${e.completedTasks} (${e.failedTasks} ✗)`
          : String(e.completedTasks),
    },
    {
      title: t('app.peakMemory'),
      render: e =>
        `${formatBytes(
          e.peakMemoryMetrics?.JVMHeapMemory || undefined,
          locale,
        )} / ${formatBytes(
          e.peakMemoryMetrics?.ProcessTreeJVMRSSMemory || undefined,
          locale,
        )}`,
    },
  ];
  return (
    <DetailTable
      title={t('app.executorsTitle')}
      columns={columns}
      rows={props.executors}
      empty={t('app.noExecutors')}
    />
  );
}

function KubernetesCard(props: {
  objects: SparkKubernetesObject[];
  entityRef?: string;
  t: T;
}) {
  const { t } = props;
  const tab = useEntityTabLink(props.entityRef, 'kubernetes');
  const columns: TableColumn<SparkKubernetesObject>[] = [
    { title: t('app.kind'), field: 'kind' },
    { title: t('app.objectName'), field: 'name' },
    { title: t('app.namespace'), field: 'namespace' },
    { title: t('table.cluster'), field: 'cluster' },
    { title: t('app.status'), field: 'rawState' },
  ];
  return (
    <InfoCard
      title={t('app.kubernetes')}
      deepLink={
        tab ? { title: t('app.openKubernetesTab'), link: tab } : undefined
      }
    >
      {props.objects.length === 0 ? (
        <Typography variant="body2">{t('app.noKubernetes')}</Typography>
      ) : (
        <Table<SparkKubernetesObject>
          columns={columns}
          data={props.objects}
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            toolbar: false,
          }}
        />
      )}
    </InfoCard>
  );
}

function EnvironmentCard(props: { appId: string; t: T }) {
  const { t } = props;
  const classes = useStyles();
  const sparkApi = useApi(sparkApiRef);
  const permission = usePermission({
    permission: sparkAppSensitiveReadPermission,
    resourceRef: props.appId,
  });
  const [shown, setShown] = useState(false);
  const env = useAsync(
    async () => (shown ? sparkApi.getEnvironment(props.appId) : undefined),
    [sparkApi, props.appId, shown],
  );
  let body: ReactNode;
  if (permission.loading) body = <Progress />;
  else if (!permission.allowed)
    body = (
      <SparkNotice
        kind="denied"
        title={t('app.environment')}
        hint={t('app.environmentDenied', {
          permission: sparkAppSensitiveReadPermission.name,
        })}
      />
    );
  else if (!shown)
    body = (
      <Button variant="outlined" onClick={() => setShown(true)}>
        {t('app.showEnvironment')}
      </Button>
    );
  else if (env.loading) body = <Progress />;
  else if (env.error)
    body = (
      <SparkErrorNotice
        error={env.error}
        permission={sparkAppSensitiveReadPermission.name}
      />
    );
  else
    body = (
      <pre className={classes.pre} data-testid="spark-environment">
        {JSON.stringify(env.value, null, 2)}
      </pre>
    );
  return <InfoCard title={t('app.environment')}>{body}</InfoCard>;
}

function LogsCard(props: { appId: string; t: T }) {
  const { t } = props;
  const permission = usePermission({
    permission: sparkAppSensitiveReadPermission,
    resourceRef: props.appId,
  });
  let body: ReactNode;
  if (permission.loading) body = <Progress />;
  else if (!permission.allowed)
    body = (
      <SparkNotice
        kind="denied"
        title={t('app.logs')}
        hint={t('app.logsDenied', {
          permission: sparkAppSensitiveReadPermission.name,
        })}
      />
    );
  else body = <Typography variant="body2">{t('app.logsHint')}</Typography>;
  return <InfoCard title={t('app.logs')}>{body}</InfoCard>;
}
