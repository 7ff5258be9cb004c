import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import type { SparkCostSummary } from '@spark-k8s/plugin-spark-common';
import type { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import { formatChange, formatMoney, useLocale } from '../../format';
import { appRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
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
  if (error) return <SparkErrorNotice error={error} retry={retry} />;
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
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
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
      </Box>
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
