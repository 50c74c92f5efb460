// Turning a failed submission into what a form shows: a message next to each field the server
// named, and one message for the form when no field was named.
import { ApiError, errorMessage } from './api-error';

export interface FormErrors<F extends string> {
  fields: Record<F, string>;
  form: string;
}

/**
 * `fieldNames` are the form's fields, in the server's spelling (`uscc`, `inviteCode`).
 * `codeToField` puts a whole-request error next to a field, e.g. `enterprise_not_found` → `uscc`.
 */
export function formErrors<F extends string>(
  err: unknown,
  fieldNames: readonly F[],
  codeToField: Partial<Record<string, F>> = {},
): FormErrors<F> {
  const fields = Object.fromEntries(fieldNames.map((f) => [f, ''])) as Record<F, string>;
  if (!(err instanceof ApiError)) return { fields, form: errorMessage(err) };
  let placed = false;
  for (const name of fieldNames) {
    const message = err.fieldMessage(name);
    if (message) {
      fields[name] = message;
      placed = true;
    }
  }
  const target = codeToField[err.code];
  if (!placed && target !== undefined) {
    fields[target] = err.message;
    placed = true;
  }
  return { fields, form: placed ? '' : err.message };
}
