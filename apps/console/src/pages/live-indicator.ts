// The change stream's state, shown the same way on every page that listens to it.

import { h, replace } from '../dom';
import { StreamState } from '../sse';

export function liveIndicator(): { element: HTMLElement; show: (state: StreamState) => void } {
  const element = h('span', { class: 'live', 'data-testid': 'live', 'data-state': 'connecting' });
  const show = (state: StreamState): void => {
    element.dataset.state = state.kind;
    element.title = 'reason' in state ? state.reason : '';
    replace(
      element,
      state.kind === 'live'
        ? 'live'
        : state.kind === 'connecting'
          ? 'connecting…'
          : state.kind === 'retrying'
            ? 'reconnecting…'
            : `no live updates: ${state.reason}`,
    );
  };
  show({ kind: 'connecting' });
  return { element, show };
}
