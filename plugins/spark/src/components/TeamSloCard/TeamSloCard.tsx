import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  LinearProgress,
  Typography,
  makeStyles,
} from '@material-ui/core';
import type { SparkSloStatus } from '@spark-k8s/plugin-spark-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import { formatPercent, useLocale } from '../../format';
import { sparkTranslationRef } from '../../translation';
import { SparkErrorNotice } from '../SparkErrorNotice';
import { RunbookLink } from '../RunbookLink';
import { SparkNotice } from '../SparkNotice';

const useStyles = makeStyles(theme => ({
  slo: {
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  ok: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  ticket: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  page: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  'no-data': {},
}));

function SloRow(props: { slo: SparkSloStatus }) {
  const { slo } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(sparkTranslationRef);
  const locale = useLocale();
  const budget = slo.errorBudgetRemaining;
  return (
    <Box className={classes.slo} data-testid="spark-slo">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle1">{slo.name}</Typography>
        <Chip
          size="small"
          className={classes[slo.burnRate.state]}
          label={`${t('sloCard.burnRate')}: ${t(
            `sloCard.burn.${slo.burnRate.state}`,
          )}`}
        />
      </Box>
      <Typography variant="caption" color="textSecondary" component="div">
        <EntityRefLink entityRef={slo.entityRef} hideIcon /> ·{' '}
        {t('sloCard.window', { window: slo.window })}
      </Typography>
      <Box display="flex" style={{ gap: 24 }} mt={1} flexWrap="wrap">
        <Box>
          <Typography variant="caption" color="textSecondary">
            {t('sloCard.attainment')}
          </Typography>
          <Typography variant="h6" component="p">
            {formatPercent(slo.attainment, locale, 2)}
          </Typography>
          <Typography variant="caption">
            {t('sloCard.objective', {
              objective: formatPercent(slo.objective, locale, 2),
            })}
          </Typography>
        </Box>
        <Box flexGrow={1} minWidth={160}>
          <Typography variant="caption" color="textSecondary">
            {t('sloCard.errorBudget')}
          </Typography>
          <Typography variant="h6" component="p">
            {formatPercent(budget, locale, 0)}
          </Typography>
          {budget !== undefined && (
            <LinearProgress
              variant="determinate"
              value={Math.max(0, Math.min(1, budget)) * 100}
              color={budget < 0.25 ? 'secondary' : 'primary'}
            />
          )}
        </Box>
      </Box>
      <Typography variant="body2" component="p">
        {t('sloCard.runs', {
          good: String(slo.runs.good),
          total: String(slo.runs.total),
        })}
      </Typography>
      {slo.runbookId && <RunbookLink id={slo.runbookId} t={t} />}
    </Box>
  );
}

/** SLOs of a team or a Component: attainment, error budget, burn rate, run counts. */
export function SparkSloView(props: { teamRef?: string; entityRef?: string }) {
  const { t } = useTranslationRef(sparkTranslationRef);
  const sparkApi = useApi(sparkApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      sparkApi.getSloStatus({
        teamRef: props.teamRef,
        entityRef: props.entityRef,
      }),
    [sparkApi, props.teamRef, props.entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <SparkErrorNotice error={error} retry={retry} />;
  if (!value) {
    return (
      <SparkNotice
        kind="info"
        title={t('sloCard.notAvailableTitle')}
        hint={t('sloCard.notAvailableHint')}
      />
    );
  }
  if (value.length === 0) {
    return (
      <SparkNotice
        kind="info"
        title={t('sloCard.title')}
        hint={t('sloCard.noSlos')}
      />
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {value.map(slo => (
        <SloRow key={slo.id} slo={slo} />
      ))}
    </Box>
  );
}

/** The Spark SLO card of a Group page. */
export function TeamSloCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(sparkTranslationRef);
  return (
    <InfoCard title={t('sloCard.title')}>
      <SparkSloView teamRef={stringifyEntityRef(entity)} />
    </InfoCard>
  );
}
