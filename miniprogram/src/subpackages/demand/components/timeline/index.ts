// A demand's timeline (办理进度), newest first: what happened, who did it (role, unit, and the
// name when the server shows it to this viewer), the note, and when.
import type { DemandEvent } from '../../../../types/api';
import { timelineItems, type TimelineItem } from '../../utils/demand';

function items(events: unknown): TimelineItem[] {
  const list = Array.isArray(events) ? (events as DemandEvent[]) : [];
  return timelineItems(list).reverse();
}

Component({
  properties: {
    /** `Demand.timeline`, in the server's (chronological) order. */
    events: { type: Array, value: [] as DemandEvent[] },
  },
  data: {
    items: [] as TimelineItem[],
  },
  observers: {
    events(events: unknown) {
      this.setData({ items: items(events) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ items: items(this.data.events) });
    },
  },
});
