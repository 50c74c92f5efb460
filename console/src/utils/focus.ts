// Keyboard work: when a dialog opens, the caret goes to its first field (TDesign's dialog leaves
// the focus behind it on the page), so a shortcut, then typing, then Ctrl+Enter is a whole move.
import { nextTick, watch, type WatchSource } from 'vue';

function visible(el: Element): boolean {
  return el.getClientRects().length > 0;
}

/** Focuses the first field (else the first button) of the dialog shown last. */
export function focusDialogField(): void {
  const dialogs = Array.from(document.querySelectorAll('[role="dialog"]')).filter(visible);
  const dialog = dialogs.at(-1);
  if (!dialog) return;
  // A field marked data-autofocus (or the field inside a marked wrapper) goes first.
  const marked = dialog.querySelector<HTMLElement>('[data-autofocus]');
  const markedField = marked?.matches('textarea, select, input') ? marked : marked?.querySelector<HTMLElement>('textarea, select, input');
  if (markedField && visible(markedField)) {
    markedField.focus();
    return;
  }
  const field =
    Array.from(dialog.querySelectorAll<HTMLElement>('textarea, select, input:not([type=hidden]):not([type=file]):not([readonly])')).find(
      (e) => visible(e) && !(e as HTMLInputElement).disabled,
    ) ?? Array.from(dialog.querySelectorAll<HTMLElement>('.t-dialog__footer button')).find(visible);
  field?.focus();
}

/** Watches a dialog's open flag and focuses its first field when it opens. */
export function autofocusDialog(open: WatchSource<boolean>): void {
  watch(open, (v) => {
    if (!v) return;
    void nextTick(() => setTimeout(focusDialogField, 30));
  });
}
