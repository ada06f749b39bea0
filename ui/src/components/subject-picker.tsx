/**
 * A subject name input suggesting existing subjects as you type (a native datalist, so the keyboard and
 * screen readers handle it like any text field). Suggestions come from the paged summary endpoint.
 */
import { path } from '../api.js';
import { useApi, useDebounced } from '../hooks.js';
import type { SubjectSummaryPage } from '../types.js';

export interface SubjectPickerProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
}

export function SubjectPicker({ id, label, value, onInput, required }: SubjectPickerProps) {
  const typed = useDebounced(value.trim(), 200);
  const suggestions = useApi<SubjectSummaryPage>(path`/catalog/subjects?contains=${typed}&limit=${20}`);
  const listId = `${id}-suggestions`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        list={listId}
        autocomplete="off"
        spellcheck={false}
        value={value}
        required={required}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <datalist id={listId}>
        {(suggestions.data?.subjects ?? []).map((s) => (
          <option key={s.subject} value={s.subject} />
        ))}
      </datalist>
    </div>
  );
}
