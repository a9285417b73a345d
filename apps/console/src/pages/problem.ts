// How every page shows a refusal or an unreachable API.

import { ApiError } from '../api';
import { h } from '../dom';

export function problem(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    return h(
      'div',
      { class: 'problem card', role: 'alert' },
      h('strong', {}, `${error.status}`),
      ` ${error.detail}`,
    );
  }
  return h('div', { class: 'problem card', role: 'alert' }, `The API could not be reached: ${String(error)}`);
}
