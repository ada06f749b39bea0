/** A small set of mutually exclusive choices as native radio buttons in a labelled fieldset. */
export interface RadioGroupProps<T extends string> {
  name: string;
  legend: string;
  /** Keep the legend for screen readers only. */
  hideLegend?: boolean;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
}

export function RadioGroup<T extends string>({
  name,
  legend,
  hideLegend,
  value,
  options,
  onChange,
}: RadioGroupProps<T>) {
  return (
    <fieldset class="segmented">
      <legend class={hideLegend ? 'sr-only' : undefined}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
