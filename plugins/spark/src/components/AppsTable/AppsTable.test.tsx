import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SparkAppSummary } from '@spark-k8s/plugin-spark-common';
import { http, HttpResponse } from 'msw';
import { appSummary } from '../../__testUtils__/fixtures';
import {
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { AppsTable } from './AppsTable';

const minute = 60_000;
// The server's order for each sort; the table must show it as it comes.
const apps = {
  short: appSummary({
    id: 'spark-short',
    name: 'short',
    durationMs: 2 * minute,
  }),
  long: appSummary({ id: 'spark-long', name: 'long', durationMs: 90 * minute }),
  running: appSummary({
    id: 'spark-running',
    name: 'running',
    state: 'RUNNING',
    endTime: undefined,
    durationMs: undefined,
  }),
};

const ORDERS: Record<string, SparkAppSummary[]> = {
  'duration-desc': [apps.long, apps.short, apps.running],
  'duration-asc': [apps.short, apps.long, apps.running],
};

describe('AppsTable', () => {
  const server = setupSparkServer();

  /** Answers GET /apps in the order a real backend would, and records each query. */
  function serve() {
    const queries: Array<Record<string, string>> = [];
    server.use(
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        const items = ORDERS[`${query.sort}-${query.order}`] ?? [
          apps.running,
          apps.short,
          apps.long,
        ];
        // Two pages of the start sort, so paging can be checked.
        return HttpResponse.json({
          items,
          nextCursor:
            query.sort === 'start' && !query.cursor ? 'p2' : undefined,
        });
      }),
    );
    return queries;
  }

  const header = () => within(screen.getAllByRole('rowgroup')[0]);
  /** The columns the header shows an active sort arrow on, with its direction. */
  const sortArrows = () =>
    header()
      .getAllByRole('button')
      .filter(label => label.classList.contains('MuiTableSortLabel-active'))
      .map(label => [
        label.textContent,
        label
          .querySelector('svg')
          ?.getAttribute('class')
          ?.match(/iconDirection(Asc|Desc)/)?.[1]
          .toLowerCase(),
      ]);

  const names = () =>
    screen
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('link')[0].textContent);

  it('asks the server for the duration sort when its header is clicked, and shows the order it answers', async () => {
    const queries = serve();
    renderSpark(
      <AppsTable title="Runs" teamRef="group:default/payments-data" />,
    );
    expect(await screen.findByText('Newest first')).toBeInTheDocument();
    expect(queries[0]).toMatchObject({ sort: 'start', order: 'desc' });
    expect(sortArrows()).toEqual([['Start', 'desc']]);
    expect(names()).toEqual([
      'runningspark-running',
      'shortspark-short',
      'longspark-long',
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Duration' }));
    expect(
      await screen.findByText('Longest first; running apps last'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(names()).toEqual([
        'longspark-long',
        'shortspark-short',
        'runningspark-running',
      ]),
    );
    expect(queries[queries.length - 1]).toEqual({
      teamRef: 'group:default/payments-data',
      sort: 'duration',
      order: 'desc',
      limit: '10',
    });
    // The arrow is on the duration column, pointing down.
    expect(sortArrows()).toEqual([['Duration', 'desc']]);

    await userEvent.click(screen.getByRole('button', { name: 'Duration' }));
    expect(
      await screen.findByText('Shortest first; running apps last'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(names()).toEqual([
        'shortspark-short',
        'longspark-long',
        'runningspark-running',
      ]),
    );
    expect(queries[queries.length - 1]).toMatchObject({
      sort: 'duration',
      order: 'asc',
    });
    expect(sortArrows()).toEqual([['Duration', 'asc']]);
  });

  it('goes back to page 1 when the sort changes', async () => {
    const queries = serve();
    renderSpark(<AppsTable title="Runs" />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    expect(await screen.findByText('Page 2')).toBeInTheDocument();
    expect(queries[queries.length - 1]).toMatchObject({
      sort: 'start',
      cursor: 'p2',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Cost' }));
    expect(
      await screen.findByText('Most expensive first; unpriced apps last'),
    ).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(queries[queries.length - 1]).toEqual({
      sort: 'cost',
      order: 'desc',
      limit: '10',
    });
  });

  it('lets only start, duration and cost be sorted: the server sorts nothing else', async () => {
    serve();
    renderSpark(<AppsTable title="Runs" showTeam />);
    await screen.findByText('Newest first');
    expect(
      header()
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Start', 'Duration', 'Cost']);
    expect(
      header()
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'App',
      'State',
      'Start',
      'Duration',
      'Cost',
      'SLO',
      'Team',
      'Cluster',
      'Spark',
    ]);
  });
});
