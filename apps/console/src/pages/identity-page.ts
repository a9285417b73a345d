// Who the console asks as: a user id sent as x-user-id (AUTH_MODE=header) or a bearer token (AUTH_MODE=jwt).

import { h, replace } from '../dom';
import { forgetIdentity, Identity, loadIdentity, saveIdentity } from '../identity';

export function renderIdentity(container: HTMLElement, next: string | null): void {
  const current = loadIdentity();
  const kind = h(
    'fieldset',
    { class: 'choice' },
    h('legend', {}, 'The API names its callers'),
    radio(
      'user',
      'by a user id, sent as x-user-id (AUTH_MODE=header, the default)',
      current?.kind !== 'token',
    ),
    radio(
      'token',
      'by a bearer token (AUTH_MODE=jwt): paste one whose sub is the user',
      current?.kind === 'token',
    ),
  );
  const userId = h('input', {
    name: 'user-id',
    autocomplete: 'username',
    placeholder: 'demo-user',
    value: current?.kind === 'user' ? current.userId : '',
  });
  const token = h('textarea', { name: 'token', rows: 3, placeholder: 'eyJhbGciOi…', spellcheck: 'false' });
  if (current?.kind === 'token') token.value = current.token;
  const userField = h('label', { class: 'field' }, 'User id', userId);
  const tokenField = h('label', { class: 'field' }, 'Bearer token', token);
  const problem = h('p', { class: 'problem', role: 'alert' });

  const showField = (): void => {
    const byToken = kind.querySelector<HTMLInputElement>('input[value=token]')!.checked;
    userField.hidden = byToken;
    tokenField.hidden = !byToken;
  };
  kind.addEventListener('change', showField);
  showField();

  const form = h(
    'form',
    {
      class: 'identity card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const byToken = kind.querySelector<HTMLInputElement>('input[value=token]')!.checked;
        const identity: Identity = byToken
          ? { kind: 'token', token: token.value.trim().replace(/^Bearer\s+/i, '') }
          : { kind: 'user', userId: userId.value.trim() };
        if (
          (identity.kind === 'user' && !identity.userId) ||
          (identity.kind === 'token' && !identity.token)
        ) {
          replace(problem, byToken ? 'Paste a token.' : 'Name a user.');
          return;
        }
        saveIdentity(identity);
        location.hash = next && !next.startsWith('#/identity') ? next : '#/sessions';
      },
    },
    h('h1', {}, 'Who are you?'),
    h(
      'p',
      {},
      'Every page shows only what the API gives this caller: another user’s session is a 404, as for anyone. ',
      'With ',
      h('code', {}, 'npm start -- --demo'),
      ' the demo sessions belong to ',
      h('code', {}, 'demo-user'),
      ', agent ',
      h('code', {}, 'demo-agent'),
      '.',
    ),
    kind,
    userField,
    tokenField,
    problem,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Continue'),
      current &&
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              forgetIdentity();
              location.hash = '#/identity';
            },
          },
          'Forget this caller',
        ),
    ),
  );
  replace(container, form);
  (current?.kind === 'token' ? token : userId).focus();
}

function radio(value: string, label: string, checked: boolean): HTMLLabelElement {
  return h('label', {}, h('input', { type: 'radio', name: 'kind', value, checked }), ' ', label);
}
