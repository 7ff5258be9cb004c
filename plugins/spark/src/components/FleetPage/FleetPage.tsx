import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Content,
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Typography,
} from '@material-ui/core';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import { formatDateTime, useLocale } from '../../format';
import { displayStateOf } from '../../model';
import { appRouteRef, troubleshootRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
import { AppsTable } from '../AppsTable';
import { AppStateChip } from '../AppStateChip';
import { SparkErrorNotice } from '../SparkErrorNotice';
import { SparkNotice } from '../SparkNotice';
import { SparkCostView } from '../TeamCostCard';

const FAILING_LIMIT = 10;

function FailingNow() {
  const { t } = useTranslationRef(sparkTranslationRef);
  const locale = useLocale();
  const sparkApi = useApi(sparkApiRef);
  const appLink = useRouteRef(appRouteRef);
  // A fixed "now" per mount, so re-renders do not refetch.
  const from = useMemo(
    () => new Date(Date.now() - 86_400_000).toISOString(),
    [],
  );
  const { value, loading, error, retry } = useAsyncRetry(
    () => sparkApi.listApps({ state: ['FAILED'], from, limit: FAILING_LIMIT }),
    [sparkApi, from],
  );
  if (loading) return <Progress />;
  if (error) return <SparkErrorNotice error={error} retry={retry} />;
  if (!value || value.items.length === 0) {
    return (
      <SparkNotice
        kind="info"
        title={t('fleetPage.failingNow')}
        hint={t('fleetPage.failingNowEmpty')}
      />
    );
  }
  return (
    <Box component="ul" m={0} pl={0} style={{ listStyle: 'none' }}>
      {value.items.map(app => (
        <Box component="li" key={app.id} mb={1}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <AppStateChip state={displayStateOf(app)} />
            <Link to={appLink({ appId: app.id })}>{app.name}</Link>
          </Box>
          <Typography variant="caption" color="textSecondary" component="div">
            {formatDateTime(app.startTime, locale)}
            {app.attribution.teamRef && (
              <>
                {' · '}
                <EntityRefLink
                  entityRef={app.attribution.teamRef}
                  defaultKind="group"
                  hideIcon
                />
              </>
            )}
          </Typography>
          {app.failureReason && (
            <Typography variant="body2" noWrap title={app.failureReason}>
              {app.failureReason}
            </Typography>
          )}
        </Box>
      ))}
    </Box>
  );
}

function TeamFilter(props: {
  value: string;
  onChange: (teamRef: string) => void;
}) {
  const { t } = useTranslationRef(sparkTranslationRef);
  const catalogApi = useApi(catalogApiRef);
  const { value: teams } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(e => ({
        ref: stringifyEntityRef(e),
        title: e.metadata.title ?? e.metadata.name,
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);
  return (
    <FormControl style={{ minWidth: 200 }}>
      <InputLabel shrink id="spark-team-filter">
        {t('fleetPage.teamFilter')}
      </InputLabel>
      <Select
        labelId="spark-team-filter"
        value={props.value}
        displayEmpty
        renderValue={selected =>
          selected
            ? teams?.find(team => team.ref === selected)?.title ??
              String(selected)
            : t('fleetPage.allTeams')
        }
        onChange={event => props.onChange(String(event.target.value))}
      >
        <MenuItem value="">{t('fleetPage.allTeams')}</MenuItem>
        {(teams ?? []).map(team => (
          <MenuItem key={team.ref} value={team.ref}>
            {team.title}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** The fleet: what fails now, who spends most, and every app of every team. */
export function FleetPage() {
  const { t } = useTranslationRef(sparkTranslationRef);
  const [teamRef, setTeamRef] = useState('');
  const troubleshootLink = useRouteRef(troubleshootRouteRef);
  return (
    <Content>
      <Box
        display="flex"
        alignItems="baseline"
        justifyContent="space-between"
        flexWrap="wrap"
        style={{ gap: 16 }}
        mb={2}
      >
        <Typography variant="body1" color="textSecondary">
          {t('fleetPage.subtitle')}
        </Typography>
        <LinkButton
          variant="outlined"
          color="primary"
          to={troubleshootLink()}
          title={t('wizard.openHint')}
        >
          {t('wizard.open')}
        </LinkButton>
      </Box>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('fleetPage.failingNow')}>
            <FailingNow />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('fleetPage.biggestSpenders')}>
            <SparkCostView />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <AppsTable
            key={teamRef}
            title={t('fleetPage.allApps')}
            teamRef={teamRef || undefined}
            showTeam
            extraFilters={<TeamFilter value={teamRef} onChange={setTeamRef} />}
            emptyHint={t('states.noAppsHint')}
          />
        </Grid>
      </Grid>
    </Content>
  );
}
