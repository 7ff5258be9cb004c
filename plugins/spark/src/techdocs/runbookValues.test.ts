import {
  FILLED_VALUE_CLASS,
  fillInValues,
  runbookValuesFromSearch,
} from './runbookValues';

describe('runbookValuesFromSearch', () => {
  it('keeps the known variables with values that are names, ids or images', () => {
    expect(
      runbookValuesFromSearch(
        '?NS=payments-data&APP_ID=spark-0001&IMAGE=apache/spark:4.0.1&OTHER=x&POD=a%3B%20rm%20-rf%20%2F&SA=',
      ),
    ).toEqual({
      NS: 'payments-data',
      APP_ID: 'spark-0001',
      IMAGE: 'apache/spark:4.0.1',
    });
  });
});

describe('fillInValues', () => {
  function code(html: string) {
    const element = document.createElement('code');
    element.innerHTML = html;
    return element;
  }

  it('fills $NAME and ${NAME} in every text node, as marked text', () => {
    // How pygments splits a highlighted shell line into spans.
    const element = code(
      'kubectl -n <span class="nv">$NS</span> logs <span class="nv">${DRIVER_POD}</span> | grep $APP_IDX $UNKNOWN',
    );
    const filled = fillInValues(element, {
      NS: 'payments-data',
      DRIVER_POD: 'etl-driver',
      APP_ID: 'spark-1',
    });
    expect(filled).toBe(2);
    expect(element.textContent).toBe(
      'kubectl -n payments-data logs etl-driver | grep $APP_IDX $UNKNOWN',
    );
    const marks = [...element.querySelectorAll(`mark.${FILLED_VALUE_CLASS}`)];
    expect(marks.map(m => [m.getAttribute('title'), m.textContent])).toEqual([
      ['$NS', 'payments-data'],
      ['$DRIVER_POD', 'etl-driver'],
    ]);
    expect(fillInValues(element, { NS: 'other' })).toBe(0);
  });

  it('never turns a value into markup', () => {
    const element = code('echo $NS');
    fillInValues(element, { NS: '<img src=x onerror=alert(1)>' });
    expect(element.querySelector('img')).toBeNull();
    expect(element.textContent).toBe('echo <img src=x onerror=alert(1)>');
  });
});
