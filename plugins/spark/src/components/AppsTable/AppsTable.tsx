import {
  Link,
  Progress,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  FormControl,
  IconButton,
  InputLabel,
  MenuItem,
  Select,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ChevronLeftIcon from '@material-ui/icons/ChevronLeft';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import {
  SPARK_APP_STATES,
  type SparkAppSortKey,
  type SparkAppState,
  type SparkAppSummary,
  type SparkSortOrder,
} from '@spark-k8s/plugin-spark-common';
import { useMemo, useState, type ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sparkApiRef } from '../../api';
import {
  formatDateTime,
  formatDuration,
  formatMoney,
  useLocale,
} from '../../format';
import { displayStateOf } from '../../model';
import { appRouteRef } from '../../routes';
import { sparkTranslationRef } from '../../translation';
import { AppStateChip } from '../AppStateChip';
import { SparkErrorNotice } from '../SparkErrorNotice';
import { SparkNotice } from '../SparkNotice';

const SINCE = { any: 0, '24h': 1, '7d': 7, '30d': 30 } as const;
type Since = keyof typeof SINCE;
const PAGE_SIZES = [10, 25, 50];
/** The columns the server sorts by, by their field. */
const SORT_KEYS: Record<string, SparkAppSortKey> = {
  startTime: 'start',
  durationMs: 'duration',
  'cost.amount': 'cost',
};

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 180 },
  pager: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'flex-end',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

/** Options of {@link AppsTable}. */
export interface AppsTableProps {
  title: string;
  /** Apps of one Component. */
  entityRef?: string;
  /** Apps of one team (and its child teams). */
  teamRef?: string;
  /** Show the owning team column (fleet views). */
  showTeam?: boolean;
  /** Extra filter controls placed before the built-in ones. */
  extraFilters?: ReactNode;
  /** What to say when there are no apps at all (before filters). */
  emptyTitle?: string;
  emptyHint?: string;
}

/**
 * A page of Spark apps from the backend: filters, sort and page size go to the server, which
 * pages with cursors, so the browser only ever holds the rows it shows.
 */
export function AppsTable(props: AppsTableProps) {
  const classes = useStyles();
  const { t } = useTranslationRef(sparkTranslationRef);
  const locale = useLocale();
  const sparkApi = useApi(sparkApiRef);
  const appLink = useRouteRef(appRouteRef);
  const [states, setStates] = useState<SparkAppState[]>([]);
  const [since, setSince] = useState<Since>('any');
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const [{ sort, order }, setSorting] = useState<{
    sort: SparkAppSortKey;
    order: SparkSortOrder;
  }>({ sort: 'start', order: 'desc' });
  // Cursors of the pages seen so far: [undefined, cursor of page 2, …].
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const filtered = states.length > 0 || since !== 'any';

  const from = useMemo(
    () =>
      since === 'any'
        ? undefined
        : new Date(Date.now() - SINCE[since] * 86_400_000).toISOString(),
    [since],
  );
  const { entityRef, teamRef } = props;
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      sparkApi.listApps({
        entityRef,
        teamRef,
        state: states.length > 0 ? states : undefined,
        from,
        sort,
        order,
        limit: pageSize,
        cursor: cursors[page],
      }),
    [
      sparkApi,
      entityRef,
      teamRef,
      states,
      from,
      sort,
      order,
      pageSize,
      cursors,
      page,
    ],
  );

  const resetPages = () => setCursors([undefined]);

  // The server sorts the whole list: the table keeps the rows in the order they came and
  // only shows the arrow on the column the server sorted by.
  const sortedBy = (
    key: SparkAppSortKey,
  ): Partial<TableColumn<SparkAppSummary>> => ({
    customSort: () => 0,
    defaultSort: sort === key ? order : undefined,
  });
  const columns: TableColumn<SparkAppSummary>[] = [
    {
      title: t('table.name'),
      field: 'name',
      highlight: true,
      sorting: false,
      cellStyle: { whiteSpace: 'nowrap' },
      render: app => (
        <Link to={appLink({ appId: app.id })}>
          {app.name}
          <Typography variant="caption" display="block" color="textSecondary">
            {app.id}
          </Typography>
        </Link>
      ),
    },
    {
      title: t('table.state'),
      field: 'state',
      sorting: false,
      render: app => <AppStateChip state={displayStateOf(app)} />,
    },
    {
      title: t('table.start'),
      field: 'startTime',
      ...sortedBy('start'),
      cellStyle: { whiteSpace: 'nowrap' },
      render: app => formatDateTime(app.startTime, locale),
    },
    {
      title: t('table.duration'),
      field: 'durationMs',
      type: 'numeric',
      ...sortedBy('duration'),
      render: app => formatDuration(app.durationMs, locale),
    },
    {
      title: t('table.cost'),
      field: 'cost.amount',
      type: 'numeric',
      ...sortedBy('cost'),
      render: app =>
        app.cost
          ? formatMoney(app.cost.amount, app.cost.currency, locale)
          : t('table.notAvailable'),
    },
    {
      title: t('table.slo'),
      field: 'slo.state',
      sorting: false,
      render: app =>
        app.slo ? t(`slo.${app.slo.state}`) : t('table.notAvailable'),
    },
    ...(props.showTeam
      ? [
          {
            title: t('table.team'),
            field: 'attribution.teamRef',
            sorting: false,
            render: (app: SparkAppSummary) =>
              app.attribution.teamRef ? (
                <EntityRefLink
                  entityRef={app.attribution.teamRef}
                  defaultKind="group"
                  hideIcon
                />
              ) : (
                t('table.notAvailable')
              ),
          },
        ]
      : []),
    {
      title: t('table.cluster'),
      field: 'cluster',
      sorting: false,
      render: app => app.cluster ?? t('table.notAvailable'),
    },
    {
      title: t('table.sparkVersion'),
      field: 'sparkVersion',
      sorting: false,
      render: app => app.sparkVersion ?? t('table.notAvailable'),
    },
  ];

  const onOrderChange = (columnIndex: number) => {
    const key = SORT_KEYS[String(columns[columnIndex]?.field)];
    if (!key) return;
    // A new column starts with the newest, longest or dearest first; the same one flips.
    setSorting(current =>
      current.sort === key
        ? { sort: key, order: current.order === 'desc' ? 'asc' : 'desc' }
        : { sort: key, order: 'desc' },
    );
    resetPages();
  };

  const filters = (
    <Box className={classes.filters}>
      {props.extraFilters}
      <FormControl className={classes.select}>
        <InputLabel shrink id="spark-state-filter">
          {t('table.stateFilter')}
        </InputLabel>
        <Select
          labelId="spark-state-filter"
          multiple
          value={states}
          displayEmpty
          renderValue={selected =>
            (selected as SparkAppState[]).length === 0
              ? t('table.anyState')
              : (selected as SparkAppState[])
                  .map(state => t(`state.${state}`))
                  .join(', ')
          }
          onChange={event => {
            setStates(event.target.value as SparkAppState[]);
            resetPages();
          }}
        >
          {SPARK_APP_STATES.map(state => (
            <MenuItem key={state} value={state}>
              {t(`state.${state}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl className={classes.select}>
        <InputLabel shrink id="spark-since-filter">
          {t('table.startedAfter')}
        </InputLabel>
        <Select
          labelId="spark-since-filter"
          value={since}
          onChange={event => {
            setSince(event.target.value as Since);
            resetPages();
          }}
        >
          <MenuItem value="any">{t('table.anyTime')}</MenuItem>
          <MenuItem value="24h">{t('table.last24h')}</MenuItem>
          <MenuItem value="7d">{t('table.last7d')}</MenuItem>
          <MenuItem value="30d">{t('table.last30d')}</MenuItem>
        </Select>
      </FormControl>
    </Box>
  );

  if (error) {
    return (
      <>
        {filters}
        <SparkErrorNotice error={error} retry={retry} />
      </>
    );
  }
  if (loading && !value) {
    return (
      <>
        {filters}
        <Progress />
      </>
    );
  }
  const items = value?.items ?? [];
  if (!loading && items.length === 0 && page === 0 && !filtered) {
    return (
      <SparkNotice
        kind="info"
        title={props.emptyTitle ?? t('states.noAppsTitle')}
        hint={props.emptyHint ?? t('states.noAppsHint')}
      />
    );
  }

  return (
    <>
      {filters}
      <Table<SparkAppSummary>
        // Mounted afresh per sort, so the header arrow follows the sort the server applied.
        key={`${sort}-${order}`}
        title={props.title}
        subtitle={t(`table.sort.${sort}.${order}`)}
        columns={columns}
        data={items}
        isLoading={loading}
        onOrderChange={onOrderChange}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          thirdSortClick: false,
          draggable: false,
        }}
        emptyContent={
          <Box p={2}>
            <SparkNotice
              kind="info"
              title={t('states.noMatchTitle')}
              hint={t('states.noMatchHint')}
            />
          </Box>
        }
      />
      <Box className={classes.pager}>
        <Typography variant="body2">{t('table.rowsPerPage')}</Typography>
        <Select
          value={pageSize}
          inputProps={{ 'aria-label': t('table.rowsPerPage') }}
          onChange={event => {
            setPageSize(Number(event.target.value));
            resetPages();
          }}
        >
          {PAGE_SIZES.map(size => (
            <MenuItem key={size} value={size}>
              {size}
            </MenuItem>
          ))}
        </Select>
        <Typography variant="body2">
          {t('table.pageOf', { page: String(page + 1) })}
        </Typography>
        <IconButton
          aria-label={t('table.previousPage')}
          disabled={page === 0 || loading}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          <ChevronLeftIcon />
        </IconButton>
        <IconButton
          aria-label={t('table.nextPage')}
          disabled={!value?.nextCursor || loading}
          onClick={() => setCursors([...cursors, value?.nextCursor])}
        >
          <ChevronRightIcon />
        </IconButton>
      </Box>
    </>
  );
}
