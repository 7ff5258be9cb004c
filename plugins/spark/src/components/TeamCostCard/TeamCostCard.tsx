import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { Box, LinearProgress, makeStyles, Typography } from '@material-ui/core';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import {
  sparkCostReadPermission,
  type SparkCostAlert,
  type SparkCostBudget,
  type SparkCostSummary,
} from '@spark-k8s/plugin-spark-common';
import type { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import {
  formatChange,
  formatMoney,
  formatNumber,
  formatPercent,
  useLocale,
} from '../../format';
import { appRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
import { RunbookLink } from '../RunbookLink';
import { SparkErrorNotice } from '../SparkErrorNotice';
import { SparkNotice } from '../SparkNotice';
import { DailyCostChart } from './DailyCostChart';

/** Cost of a team (or of the fleet, without `teamRef`): totals, daily trend, top apps. */
export function SparkCostView(props: { teamRef?: string; topApps?: number }) {
  const { t } = useTranslationRef(sparkTranslationRef);
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => sparkApi.getCostSummary({ teamRef: props.teamRef }),
    [sparkApi, props.teamRef],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <SparkErrorNotice
        error={error}
        retry={retry}
        permission={sparkCostReadPermission.name}
      />
    );
  }
  if (!value) {
    return (
      <SparkNotice
        kind="info"
        title={t('cost.notAvailableTitle')}
        hint={t('cost.notAvailableHint')}
      />
    );
  }
  return <CostSummary summary={value} topApps={props.topApps ?? 5} />;
}

const useStyles = makeStyles(theme => ({
  alert: {
    display: 'flex',
    gap: theme.spacing(1.5),
    alignItems: 'flex-start',
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
  },
  critical: { borderLeft: `4px solid ${theme.palette.error.main}` },
  warning: { borderLeft: `4px solid ${theme.palette.warning.main}` },
  criticalIcon: { color: theme.palette.error.main },
  warningIcon: { color: theme.palette.warning.main },
  bar: { height: 8, borderRadius: 4, margin: theme.spacing(0.5, 0) },
}));

/** `2026-11` as people write it in the reader's language. */
function monthName(month: string, locale: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** Over budget, on track to be, or growing fast: one line each, with the runbook to open. */
function CostAlerts(props: {
  alerts: SparkCostAlert[];
  money: (amount: number) => string;
  locale: string;
  month?: string;
}) {
  const { t } = useTranslationRef(sparkTranslationRef);
  const classes = useStyles();
  const text = (alert: SparkCostAlert) => {
    const month = props.month ? monthName(props.month, props.locale) : '';
    switch (alert.kind) {
      case 'over-budget':
        return t('cost.alert.over-budget', {
          spent: props.money(alert.value),
          budget: props.money(alert.threshold),
          month,
        });
      case 'budget-forecast':
        return t('cost.alert.budget-forecast', {
          forecast: props.money(alert.value),
          budget: props.money(alert.threshold),
          month,
        });
      default:
        return t('cost.alert.fast-growth', {
          growth: formatPercent(alert.value, props.locale, 0),
          threshold: formatPercent(alert.threshold, props.locale, 0),
        });
    }
  };
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      {props.alerts.map(alert => {
        const critical = alert.severity === 'critical';
        const Icon = critical ? ErrorOutlineIcon : ReportProblemOutlinedIcon;
        return (
          <Box
            key={alert.kind}
            role="alert"
            data-testid={`cost-alert-${alert.kind}`}
            className={`${classes.alert} ${
              critical ? classes.critical : classes.warning
            }`}
          >
            <Icon
              fontSize="small"
              className={critical ? classes.criticalIcon : classes.warningIcon}
            />
            <Box>
              <Typography variant="body2">{text(alert)}</Typography>
              {alert.runbookId && <RunbookLink id={alert.runbookId} t={t} />}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

/** The month's budget: how much of it is spent, and where the month is heading. */
function BudgetBar(props: {
  budget: SparkCostBudget;
  money: (amount: number) => string;
  locale: string;
}) {
  const { budget, money, locale } = props;
  const { t } = useTranslationRef(sparkTranslationRef);
  const classes = useStyles();
  const share = budget.monthly > 0 ? budget.spent / budget.monthly : 0;
  return (
    <Box data-testid="cost-budget">
      <Typography variant="subtitle2">
        {t('cost.budgetTitle', { month: monthName(budget.month, locale) })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, share * 100)}
        color={share > 1 ? 'secondary' : 'primary'}
        className={classes.bar}
        aria-label={t('cost.budgetTitle', {
          month: monthName(budget.month, locale),
        })}
      />
      <Typography variant="body2">
        {t('cost.budgetSpent', {
          spent: money(budget.spent),
          budget: money(budget.monthly),
          share: formatPercent(share, locale, 0),
        })}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('cost.budgetForecast', { forecast: money(budget.forecast) })}
        {' · '}
        {budget.source === 'config'
          ? t('cost.budgetFromConfig')
          : t('cost.budgetFromAnnotation')}
      </Typography>
    </Box>
  );
}

function CostSummary(props: { summary: SparkCostSummary; topApps: number }) {
  const { summary } = props;
  const { t } = useTranslationRef(sparkTranslationRef);
  const locale = useLocale();
  const appLink = useRouteRef(appRouteRef);
  const money = (amount: number) =>
    formatMoney(amount, summary.currency, locale);
  const figure = (label: string, value: ReactNode) => (
    <Box>
      <Typography variant="caption" color="textSecondary">
        {label}
      </Typography>
      <Typography variant="h5" component="p">
        {value}
      </Typography>
    </Box>
  );
  const { basis, wasted, budget, alerts } = summary;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {alerts && alerts.length > 0 && (
        <CostAlerts
          alerts={alerts}
          money={money}
          locale={locale}
          month={budget?.month}
        />
      )}
      <Box
        display="flex"
        style={{ gap: 32 }}
        flexWrap="wrap"
        alignItems="flex-end"
      >
        {figure(t('cost.thisPeriod'), money(summary.total))}
        {figure(t('cost.lastPeriod'), money(summary.previousTotal))}
        <Typography variant="body2" color="textSecondary">
          {t('cost.change', {
            change: formatChange(summary.total, summary.previousTotal, locale),
          })}
        </Typography>
        {wasted &&
          figure(
            t('cost.wasted'),
            <span data-testid="cost-wasted">
              {formatPercent(wasted.share, locale, 0)}
            </span>,
          )}
      </Box>
      {wasted && (
        <Typography variant="body2" color="textSecondary">
          {t('cost.wastedHint', {
            cost: money(wasted.cost),
            share: formatPercent(wasted.share, locale, 0),
          })}
        </Typography>
      )}
      {basis && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="cost-basis"
        >
          {basis.usage > 0
            ? t('cost.basisMixed', {
                request: formatNumber(basis.request, locale),
                usage: formatNumber(basis.usage, locale),
              })
            : t('cost.basisRequests', {
                request: formatNumber(basis.request, locale),
              })}
        </Typography>
      )}
      {budget && <BudgetBar budget={budget} money={money} locale={locale} />}
      <Box>
        <Typography variant="subtitle2">{t('cost.dailyTrend')}</Typography>
        <DailyCostChart
          daily={summary.daily}
          currency={summary.currency}
          locale={locale}
          label={t('cost.dailyTrend')}
        />
      </Box>
      {summary.topTeams && summary.topTeams.length > 0 && (
        <Box>
          <Typography variant="subtitle2">{t('cost.topTeams')}</Typography>
          <Box component="ol" m={0} pl={3}>
            {summary.topTeams.slice(0, props.topApps).map(team => (
              <li key={team.teamRef}>
                <EntityRefLink
                  entityRef={team.teamRef}
                  defaultKind="group"
                  hideIcon
                />{' '}
                <Typography component="span" variant="body2">
                  {money(team.cost)}
                </Typography>
              </li>
            ))}
          </Box>
        </Box>
      )}
      <Box>
        <Typography variant="subtitle2">{t('cost.topApps')}</Typography>
        {summary.topApps.length === 0 ? (
          <Typography variant="body2">{t('cost.noRuns')}</Typography>
        ) : (
          <Box component="ol" m={0} pl={3}>
            {summary.topApps.slice(0, props.topApps).map(app => (
              <li key={app.appId}>
                <Link to={appLink({ appId: app.appId })}>{app.name}</Link>{' '}
                <Typography component="span" variant="body2">
                  {money(app.cost)}
                </Typography>
              </li>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
}

/** The Spark cost card of a Group page. */
export function TeamCostCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(sparkTranslationRef);
  return (
    <InfoCard title={t('cost.title')}>
      <SparkCostView teamRef={stringifyEntityRef(entity)} />
    </InfoCard>
  );
}
