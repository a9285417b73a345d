import { assertNever, SessionView } from '@app/domain';

export const VIEW_SHAPES = ['full', 'summary'] as const;
export type ViewShape = (typeof VIEW_SHAPES)[number];

/**
 * `view=summary` keeps every key and type of the seed's SessionView (clients parse both with one model) but empties
 * the parts that grow without bound: the conversation (`state.context`), its compaction summary
 * (`state.summary`) and the cached file contents (`state.tool_context.read_file_cache`). Everything a session
 * list shows stays: config, status, tasks, team.
 */
export function shapeView(view: SessionView, shape: ViewShape): SessionView {
  switch (shape) {
    case 'full':
      return view;
    case 'summary':
      return summarize(view);
    default:
      return assertNever(shape);
  }
}

function summarize(view: SessionView): SessionView {
  const { state } = view.session;
  return {
    ...view,
    session: {
      ...view.session,
      state: {
        ...state,
        summary: '',
        context: [],
        tool_context: { ...state.tool_context, read_file_cache: [] },
      },
    },
  };
}
