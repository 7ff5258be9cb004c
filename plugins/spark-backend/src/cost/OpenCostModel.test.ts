import { costFromAllocation, OpenCostModel } from './OpenCostModel';

describe('OpenCostModel', () => {
  const model = new OpenCostModel({
    url: 'http://opencost.opencost:9003',
    currency: 'USD',
  });

  it('asks /allocation for the app’s lifetime, aggregated by its label', () => {
    const url = model.allocationUrl({
      appId: 'spark-1',
      startTime: Date.parse('2026-11-20T10:00:00.250Z'),
      endTime: Date.parse('2026-11-20T12:00:00Z'),
      pods: [],
      executors: [],
    });
    expect(url.origin + url.pathname).toBe(
      'http://opencost.opencost:9003/allocation',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      window: '2026-11-20T10:00:00Z,2026-11-20T12:00:00Z',
      aggregate: 'label:spark-app-selector',
      accumulate: 'true',
    });
  });

  it('takes the app’s allocation and says whether usage exceeded the request', () => {
    const body = {
      code: 200,
      data: [
        {
          'spark-1': {
            name: 'spark-1',
            totalCost: 0.4213,
            cpuCoreRequestAverage: 3,
            cpuCoreUsageAverage: 3.4,
            ramByteRequestAverage: 8e9,
            ramByteUsageAverage: 5e9,
          },
          __unallocated__: { totalCost: 12 },
        },
      ],
    };
    expect(costFromAllocation('spark-1', 'USD', body)).toMatchObject({
      total: 0.4213,
      from: 'external',
      model: 'opencost',
      basis: 'usage',
      usageKnown: true,
    });
    expect(costFromAllocation('spark-2', 'USD', body)).toBeUndefined();
  });
});
