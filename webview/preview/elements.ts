// The @vscode-elements components the preview uses (and only these are bundled).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

/** The parts of the components' APIs the preview touches. */
export interface SelectElement extends HTMLElement {
  options: Array<{ label: string; value: string; description?: string; selected?: boolean }>;
  value: string;
}
export interface TextfieldElement extends HTMLElement {
  value: string;
}
export interface CheckboxElement extends HTMLElement {
  checked: boolean;
}
export interface CollapsibleElement extends HTMLElement {
  heading: string;
  description: string;
  open: boolean;
}
