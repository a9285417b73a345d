// The operators' part of the Operations page: dead letters with their reasons and re-drive, and the view
// generations, from /operations/* with the operator token (OPERATOR_TOKEN), which this section asks for.

import { ApiError, DeadLetter, Generations, OperatorClient, RedriveResult } from '../api';
import { h, replace } from '../dom';
import { forgetOperatorToken, loadOperatorToken, saveOperatorToken } from '../operator-token';
import { problem } from './problem';

export function renderOperatorSection(section: HTMLElement, signal: AbortSignal): void {
  const token = loadOperatorToken();
  if (token === null) {
    replace(
      section,
      tokenForm(() => renderOperatorSection(section, signal)),
    );
    return;
  }
  const client = new OperatorClient(token);
  const outcome = h('p', { class: 'hint', 'data-testid': 'redrive-outcome', role: 'status' });
  const forget = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        forgetOperatorToken();
        renderOperatorSection(section, signal);
      },
    },
    'Forget the operator token',
  );

  const load = async (): Promise<void> => {
    try {
      const [letters, generations] = await Promise.all([
        client.deadLetters(signal),
        client.generations(signal),
      ]);
      replace(
        section,
        deadLettersCard(letters, outcome, (id, button) => void redrive(id, button)),
        generationsCard(generations),
        forget,
      );
    } catch (error) {
      if (signal.aborted) return;
      replace(section, refusal(error), forget);
    }
  };

  const redrive = async (id: string, button: HTMLButtonElement): Promise<void> => {
    button.disabled = true;
    try {
      replace(outcome, describeRedrive(await client.redrive(id, signal)));
    } catch (error) {
      if (signal.aborted) return;
      replace(outcome, problem(error));
    }
    await load();
  };

  replace(section, h('p', { class: 'hint' }, 'Loading dead letters and generations…'));
  void load();
}

function tokenForm(done: () => void): HTMLElement {
  const input = h('input', { type: 'password', name: 'operator-token', autocomplete: 'off' });
  const missing = h('p', { class: 'problem', role: 'alert' });
  return h(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (!input.value.trim()) {
          replace(missing, 'Paste the operator token.');
          return;
        }
        saveOperatorToken(input.value);
        done();
      },
    },
    h('h2', {}, 'Dead letters and view generations'),
    h(
      'p',
      { class: 'hint' },
      'These need the operator token, the server’s ',
      h('code', {}, 'OPERATOR_TOKEN'),
      ' (not a user’s identity). It stays in this tab only.',
    ),
    h('label', { class: 'field' }, 'Operator token', input),
    missing,
    h('button', { type: 'submit', class: 'primary' }, 'Use the token'),
  );
}

function refusal(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 404) {
    return h(
      'div',
      { class: 'problem card', role: 'alert', 'data-testid': 'no-operator-routes' },
      'This server serves no operator routes: they exist only when it is started with ',
      h('code', {}, 'OPERATOR_TOKEN'),
      ' set.',
    );
  }
  return problem(error);
}

function deadLettersCard(
  letters: DeadLetter[],
  outcome: HTMLElement,
  redrive: (id: string, button: HTMLButtonElement) => void,
): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, 'Dead letters ', h('small', { 'data-testid': 'dead-letter-count' }, String(letters.length))),
    outcome,
    letters.length === 0
      ? h('p', { class: 'hint' }, 'None: every record reached the views (re-driven letters are not listed).')
      : h(
          'table',
          { class: 'dead-letters' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['id', 'failed at', 'reason', 'session', 'detail', ''].map((name) => h('th', {}, name)),
            ),
          ),
          h(
            'tbody',
            {},
            letters.map((letter) => {
              const button = h('button', { type: 'button' }, 'Re-drive');
              button.addEventListener('click', () => redrive(letter.id, button));
              return h(
                'tr',
                { 'data-testid': 'dead-letter', 'data-id': letter.id },
                h('td', { class: 'id' }, letter.id),
                h('td', {}, letter.failed_at),
                h('td', { 'data-testid': 'reason' }, letter.reason),
                h('td', { class: 'id' }, letter.session_id ?? '–'),
                h('td', { class: 'detail' }, letter.detail),
                h('td', {}, button),
              );
            }),
          ),
        ),
  );
}

function describeRedrive(result: RedriveResult): string {
  return result.outcome === 'projected'
    ? `Dead letter ${result.id} re-driven: projected.`
    : `Dead letter ${result.id} re-driven and failed again (${result.reasons.join(', ')}): it is listed as a new letter.`;
}

function generationsCard(generations: Generations): HTMLElement {
  const stamp = (value: Generations['current_stamp']) =>
    value === null ? 'no stamp' : `fold v${value.fold_version}, shape ${value.shape}`;
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, 'View generations'),
    h('p', { class: 'hint' }, `This build writes ${stamp(generations.current_stamp)}.`),
    h(
      'table',
      { 'data-testid': 'generations' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['generation', '', 'built by', ''].map((name) => h('th', {}, name)),
        ),
      ),
      h(
        'tbody',
        {},
        generations.generations.map((generation) =>
          h(
            'tr',
            { 'data-generation': generation.name },
            h('td', { class: 'id' }, generation.name),
            h('td', {}, generation.active ? 'active' : ''),
            h('td', {}, stamp(generation.stamp)),
            h('td', {}, generation.current ? 'current' : 'needs a rebuild to be written'),
          ),
        ),
      ),
    ),
  );
}
