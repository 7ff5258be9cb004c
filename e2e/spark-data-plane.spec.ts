import { expect, test } from '@playwright/test';
import { guestToken } from './portal';

const demoTeams = [
  'group:default/payments-data',
  'group:default/growth-analytics',
  'group:default/ml-features',
];

test('the embedded default ingests the bundled Spark event logs and serves them by team', async ({
  request,
}) => {
  test.setTimeout(180_000);
  let headers = { authorization: `Bearer ${await guestToken(request)}` };

  // The demo logs are ingested by the scheduler shortly after start, and attributed once the
  // catalog has read the demo components.
  await expect
    .poll(
      async () => {
        headers = { authorization: `Bearer ${await guestToken(request)}` };
        const res = await request.get('/api/spark/apps?limit=100', { headers });
        expect(res.ok(), await res.text()).toBeTruthy();
        const apps = (await res.json()).items as any[];
        return demoTeams.filter(team =>
          apps.some(app => app.attribution.teamRefs.includes(team)),
        );
      },
      { timeout: 150_000, intervals: [2000] },
    )
    .toEqual(demoTeams);

  const apps = (
    await (await request.get('/api/spark/apps?limit=100', { headers })).json()
  ).items as any[];
  // Real runs: a failed app carries its reason; finished apps are complete with metrics.
  expect(apps.some(app => app.state === 'FAILED' && app.failureReason)).toBe(
    true,
  );
  const done = apps.filter(app => app.state === 'SUCCEEDED');
  expect(done.length).toBeGreaterThan(0);
  expect(done.every(app => app.complete && app.metrics.tasks > 0)).toBe(true);

  const one = await request.get(`/api/spark/apps/${done[0].id}`, { headers });
  const details = await one.json();
  expect(details.stages.length).toBeGreaterThan(0);
  expect(details.stages[0].quantiles.durationMs).toHaveLength(6);

  const sources = await (
    await request.get('/api/spark/sources', { headers })
  ).json();
  expect(sources.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: 'eventlog:demo' })]),
  );

  // Tools that speak to a History Server can read the portal.
  const history = await request.get('/api/spark/history/api/v1/applications', {
    headers,
  });
  expect(history.ok()).toBeTruthy();
  const listed = (await history.json()) as any[];
  expect(listed.length).toBeGreaterThan(0);
  const jobs = await request.get(
    `/api/spark/history/api/v1/applications/${listed[0].id}/jobs`,
    { headers },
  );
  expect(jobs.ok()).toBeTruthy();
  expect(((await jobs.json()) as any[])[0]).toHaveProperty('numCompletedTasks');

  // Without a token there is nothing to see.
  expect((await request.get('/api/spark/apps')).status()).toBe(401);
});
