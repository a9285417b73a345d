// Operations: readiness and the projector's series, from /health/ready and /metrics; below them, with the operator
// token, dead letters, their re-drive and the view generations (operator-section.ts).

import { fetchOperations } from '../api';
import { h, replace } from '../dom';
import { operatorSamples, parseMetrics } from '../metrics';
import { renderOperatorSection } from './operator-section';
import { problem } from './problem';

export function renderOperations(container: HTMLElement): () => void {
  const controller = new AbortController();
  const body = h('section', {}, h('p', { class: 'hint' }, 'Loading…'));
  const operator = h('section', { 'data-testid': 'operator' });
  container.append(
    h('h1', {}, 'Operations'),
    h(
      'p',
      { class: 'hint' },
      'Readiness and the projector, as /health/ready and /metrics report them; dead letters and view ',
      'generations from /operations/*, with the operator token.',
    ),
    body,
    operator,
  );
  renderOperatorSection(operator, controller.signal);
  const load = async (): Promise<void> => {
    try {
      const { ready, metrics } = await fetchOperations(controller.signal);
      const checks = (ready.body as { checks?: Record<string, unknown> }).checks ?? {};
      const samples = operatorSamples(parseMetrics(metrics));
      replace(
        body,
        h(
          'div',
          { class: 'card' },
          h(
            'h2',
            {},
            'Readiness ',
            h(
              'span',
              { class: `status ${ready.status === 200 ? 'idle' : 'failed'}`, 'data-testid': 'readiness' },
              ready.status === 200 ? 'ready' : `not ready (${ready.status})`,
            ),
          ),
          h(
            'table',
            {},
            Object.entries(checks).map(([name, value]) =>
              h(
                'tr',
                {},
                h('th', {}, name),
                h('td', {}, typeof value === 'string' ? value : JSON.stringify(value)),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Projector'),
          samples.length === 0
            ? h('p', { class: 'hint' }, 'This process reports no projector series.')
            : h(
                'table',
                { class: 'metrics', 'data-testid': 'metrics' },
                samples.map((sample) =>
                  h(
                    'tr',
                    {},
                    h('th', {}, sample.name, h('span', { class: 'labels' }, sample.labels)),
                    h('td', { class: 'number' }, String(sample.value)),
                  ),
                ),
              ),
        ),
        h('button', { type: 'button', onclick: () => void load() }, 'Refresh'),
      );
    } catch (error) {
      if (!controller.signal.aborted) replace(body, problem(error));
    }
  };
  void load();
  return () => controller.abort();
}
