// The page's small DOM helpers: elements, and a panel of labelled controls (sliders, choices, text) bound
// to a settings object.

/** A DOM element with properties and children. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

/** One control: a slider (min, max, step), a choice among `choices`, or a line of text. */
export interface Control {
  key: string;
  label: string;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
  text?: boolean;
}

/**
 * The controls as a panel, each showing `state[key]` and writing it back as it changes (numbers for
 * sliders), then calling `changed`; a control is shown only while `visible(key)` holds. Inputs get the id
 * `ctl-<key>` (for tests and labels).
 */
export function controlPanel(controls: Control[], state: Record<string, string | number>, visible: (key: string) => boolean, changed: () => void): HTMLElement {
  const panel = element("form", { className: "controls" });
  panel.addEventListener("submit", (e) => e.preventDefault());
  const rows = new Map<string, HTMLElement>();
  const refresh = () => {
    for (const [key, row] of rows) row.hidden = !visible(key);
  };
  for (const c of controls) {
    const id = `ctl-${c.key}`;
    const label = element("label", { htmlFor: id, textContent: c.label });
    let input: HTMLInputElement | HTMLSelectElement;
    const value = element("output", { textContent: String(state[c.key]) });
    if (c.choices) {
      input = element("select", { id }, c.choices.map((v) => element("option", { value: v, textContent: v })));
      input.value = String(state[c.key]);
    } else if (c.text) input = element("input", { id, type: "text", value: String(state[c.key]) });
    else input = element("input", { id, type: "range", min: String(c.min), max: String(c.max), step: String(c.step), value: String(state[c.key]) });
    input.addEventListener("input", () => {
      state[c.key] = c.choices || c.text ? input.value : Number(input.value);
      value.textContent = input.value;
      refresh();
      changed();
    });
    const row = element("div", {}, c.choices || c.text ? [label, input] : [label, value, input]);
    rows.set(c.key, row);
    panel.append(row);
  }
  refresh();
  return panel;
}
