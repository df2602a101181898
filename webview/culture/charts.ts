// Culture dashboard charts (Chart.js, bar charts only): scores per culture with CI whiskers and the random baseline,
// a question's answer distributions side by side, and paired deltas per culture. Each chart has a data table too.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { ciWhiskers as whiskers, type Interval } from '../results/charts';
import type { ChartTheme } from '../results/theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export type { Interval };


export interface Series {
  label: string;
  values: Array<number | null>;
  ci?: Interval[];
  /** Index into the theme's series colours, or `muted` for the baseline. */
  colour: number | 'muted';
}

function alpha(colour: string, a: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  const n = parseInt(hex[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function options(theme: ChartTheme, xTitle: string, horizontal: boolean, range?: { min?: number; max?: number; suggestedMin?: number; suggestedMax?: number }) {
  const font = { family: theme.font };
  const value = { title: { display: true, text: xTitle, color: theme.muted, font }, ticks: { color: theme.foreground, font }, grid: { color: theme.grid }, ...range };
  const category = { ticks: { color: theme.foreground, font, autoSkip: false }, grid: { display: false } };
  return {
    indexAxis: horizontal ? ('y' as const) : ('x' as const),
    responsive: true, maintainAspectRatio: false, animation: false as const, color: theme.foreground, font,
    plugins: { legend: { labels: { color: theme.foreground, font } }, tooltip: { titleFont: font, bodyFont: font }, ciWhiskers: { color: theme.foreground } },
    scales: horizontal ? { x: value, y: category } : { x: category, y: value },
  };
}

function datasets(series: Series[], theme: ChartTheme) {
  return series.map((s) => {
    const c = s.colour === 'muted' ? theme.muted : theme.series[s.colour % theme.series.length]!;
    return { label: s.label, data: s.values, ci: s.ci, backgroundColor: alpha(c, theme.highContrast ? 1 : s.colour === 'muted' ? 0.35 : 0.75), borderColor: c, borderWidth: theme.highContrast ? 2 : 1 };
  });
}

/** Scores (× 100) per culture for each model, with CIs; the random baseline as a muted series. */
export function scoreChart(canvas: HTMLCanvasElement, cultures: string[], series: Series[], metricLabel: string, theme: ChartTheme): Chart<'bar'> {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: cultures, datasets: datasets(series, theme) as never },
    options: options(theme, `${metricLabel} (× 100, CI over questions)`, true, { min: 0, max: 100 }),
    plugins: [whiskers],
  });
}

/** A question's answer distributions (% of answers per code), culture and models side by side. */
export function distributionChart(canvas: HTMLCanvasElement, codes: string[], series: Series[], theme: ChartTheme): Chart<'bar'> {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: codes, datasets: datasets(series, theme) as never },
    options: options(theme, 'Share of answers (%)', false, { min: 0, suggestedMax: 60 }),
  });
}

/** Paired deltas b − a (× 100) per culture with CIs, green where b is closer to the culture, red where farther. */
export function deltaChart(canvas: HTMLCanvasElement, cultures: string[], values: Array<number | null>, ci: Interval[], label: string, theme: ChartTheme): Chart<'bar'> {
  const colours = values.map((v) => ((v ?? 0) >= 0 ? theme.gain : theme.loss));
  const ends = ci.flatMap((i) => (i ? i : []));
  const o = options(theme, `${label} (× 100, CI over questions)`, true, { suggestedMin: Math.min(0, ...ends), suggestedMax: Math.max(0, ...ends) });
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: cultures, datasets: [{ label, data: values, ci, backgroundColor: colours.map((c) => alpha(c, theme.highContrast ? 1 : 0.7)), borderColor: colours, borderWidth: theme.highContrast ? 2 : 1 } as never] },
    options: { ...o, plugins: { ...o.plugins, legend: { display: false, labels: o.plugins.legend.labels } } },
    plugins: [whiskers],
  });
}
