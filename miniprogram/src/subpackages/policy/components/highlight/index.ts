// Text whose matched words are highlighted: the segments of a search hit (title or snippet),
// drawn as plain `<text>` nodes, never as HTML. Size and colour come from where it is placed.
import type { Segment } from '../../../../types/api';
import { mergeSegments } from '../../utils/policy';

function parts(segments: unknown): Segment[] {
  const list = Array.isArray(segments)
    ? segments.filter((s): s is Segment => !!s && typeof (s as Segment).text === 'string')
    : [];
  return mergeSegments(list.map((s) => ({ text: s.text, hit: s.hit === true })));
}

Component({
  properties: {
    /** `{ text, hit }` pieces, in order. */
    segments: { type: Array, value: [] as Segment[] },
  },
  data: {
    parts: [] as Segment[],
  },
  observers: {
    segments(segments: unknown) {
      this.setData({ parts: parts(segments) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ parts: parts(this.data.segments) });
    },
  },
});
