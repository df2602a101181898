// Per-demographic charts with Chart.js (tree-shaken: bar charts only). Confidence intervals are drawn by a
// small Chart.js plugin as whiskers on each bar; every chart also has a data table for screen readers.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { Plugin } from 'chart.js';
import type { GroupBreakdown, ResultsCondition } from '../../src/core/results/types';
import type { ChartTheme } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export type Interval = [number, number] | null;

/** Draws each dataset's `ci` intervals as whiskers across its bars (horizontal bar charts; also the culture dashboard's). */
export const ciWhiskers: Plugin<'bar'> = {
  id: 'ciWhiskers',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const x = chart.scales.x;
    const colour = (chart.options.plugins as { ciWhiskers?: { color?: string } }).ciWhiskers?.color ?? '#888';
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.25;
    chart.data.datasets.forEach((ds, di) => {
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      const cis = (ds as unknown as { ci?: Interval[] }).ci ?? [];
      meta.data.forEach((bar, i) => {
        const iv = cis[i];
        if (!iv) return;
        const { y, height } = bar.getProps(['y', 'height'], true) as { y: number; height: number };
        const cap = Math.max(2, Math.min(5, height / 3));
        const x0 = x.getPixelForValue(iv[0]);
        const x1 = x.getPixelForValue(iv[1]);
        ctx.beginPath();
        ctx.moveTo(x0, y); ctx.lineTo(x1, y);
        ctx.moveTo(x0, y - cap); ctx.lineTo(x0, y + cap);
        ctx.moveTo(x1, y - cap); ctx.lineTo(x1, y + cap);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

const x100 = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v * 100);

function baseOptions(theme: ChartTheme, title: string, xTitle: string) {
  return {
    indexAxis: 'y' as const,
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: theme.foreground,
    font: { family: theme.font },
    plugins: {
      title: { display: false, text: title },
      legend: { labels: { color: theme.foreground, font: { family: theme.font } } },
      tooltip: { rtl: false, titleFont: { family: theme.font }, bodyFont: { family: theme.font } },
      ciWhiskers: { color: theme.foreground },
    },
    scales: {
      x: { title: { display: true, text: xTitle, color: theme.muted, font: { family: theme.font } }, ticks: { color: theme.foreground, font: { family: theme.font } }, grid: { color: theme.grid } },
      y: { ticks: { color: theme.foreground, font: { family: theme.font }, autoSkip: false }, grid: { display: false } },
    },
  };
}

/** Soft alignment (× 100) per group for each condition, with 95% CIs. */
export function scoresChart(canvas: HTMLCanvasElement, b: GroupBreakdown, conditions: ResultsCondition[], theme: ChartTheme): Chart<'bar'> {
  const datasets = conditions.map((c, i) => ({
    label: c.label,
    data: b.groups.map((g) => x100(g.perCondition[c.id]?.mean)),
    ci: b.groups.map((g): Interval => {
      const e = g.perCondition[c.id];
      return e && e.lo !== null && e.hi !== null ? [e.lo * 100, e.hi * 100] : null;
    }),
    backgroundColor: withAlpha(theme.series[i % theme.series.length], theme.highContrast ? 1 : 0.75),
    borderColor: theme.series[i % theme.series.length],
    borderWidth: theme.highContrast ? 2 : 1,
  }));
  const options = baseOptions(theme, b.label, 'Soft alignment (× 100, 95% CI)');
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: b.groups.map((g) => g.value), datasets: datasets as never },
    options: { ...options, scales: { ...options.scales, x: { ...options.scales.x, min: 0, max: 100 } } },
    plugins: [ciWhiskers],
  });
}

/** Paired delta b − a (× 100) per group with 95% CIs, green where alignment rises, red where it falls. */
export function deltaChart(canvas: HTMLCanvasElement, b: GroupBreakdown, label: string, theme: ChartTheme): Chart<'bar'> {
  const values = b.groups.map((g) => x100(g.delta?.mean));
  const ends = b.groups.flatMap((g): Array<[number, number]> => (g.delta && g.delta.lo !== null && g.delta.hi !== null ? [[g.delta.lo * 100, g.delta.hi * 100]] : []));
  const colours = values.map((v) => ((v ?? 0) >= 0 ? theme.gain : theme.loss));
  const options = baseOptions(theme, b.label, `${label} (soft, × 100, 95% CI)`);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: b.groups.map((g) => g.value),
      datasets: [{
        label,
        data: values,
        ci: b.groups.map((g): Interval => (g.delta && g.delta.lo !== null && g.delta.hi !== null ? [g.delta.lo * 100, g.delta.hi * 100] : null)),
        backgroundColor: colours.map((c) => withAlpha(c, theme.highContrast ? 1 : 0.7)),
        borderColor: colours,
        borderWidth: theme.highContrast ? 2 : 1,
      } as never],
    },
    // The axis must hold the whiskers, not only the bars.
    options: {
      ...options,
      plugins: { ...options.plugins, legend: { display: false, labels: options.plugins.legend.labels } },
      scales: { ...options.scales, x: { ...options.scales.x, suggestedMin: Math.min(0, ...ends.map((e) => e[0])), suggestedMax: Math.max(0, ...ends.map((e) => e[1])) } },
    },
    plugins: [ciWhiskers],
  });
}

/** `#rrggbb` / `rgb()` colour with an alpha; other syntaxes are returned unchanged. */
function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(colour);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return colour;
}
