// Theme colours for the charts, read from VS Code's --vscode-* variables so light, dark and high-contrast
// themes all work; re-read when VS Code switches theme (it changes the body class).

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  series: string[];
  gain: string;
  loss: string;
  font: string;
  highContrast: boolean;
}

const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export function chartTheme(): ChartTheme {
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: css('--vscode-foreground', '#333'),
    muted: css('--vscode-descriptionForeground', '#777'),
    grid: highContrast ? css('--vscode-contrastBorder', css('--vscode-foreground', '#fff')) : css('--vscode-charts-lines', 'rgba(128,128,128,.25)'),
    series: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-green', '--vscode-charts-red']
      .map((v, i) => css(v, ['#1a85ff', '#d18616', '#652d90', '#bf8803', '#388a34', '#e51400'][i])),
    gain: css('--vscode-charts-green', '#388a34'),
    loss: css('--vscode-charts-red', '#e51400'),
    font: `${css('--vscode-font-family', 'sans-serif')}, "Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma, sans-serif`,
    highContrast,
  };
}

/** Calls `onChange` when VS Code switches colour theme. */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(() => onChange()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
