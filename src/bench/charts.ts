/** Renders the bench charts (specs in chart-specs.ts) to SVG with Vega and to PNG with resvg. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { chartSpecs } from './chart-specs.ts';
import type { Profile } from './profile.ts';

/** One Vega-Lite spec as an SVG document and a PNG at twice its size on white. */
export async function renderChart(spec: TopLevelSpec): Promise<{ svg: string; png: Buffer }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      fitTo: { mode: 'zoom', value: 2 },
    })
      .render()
      .asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

/** Writes `<chart>.svg` and `<chart>.png` for every chart the profile supports into `dir`; returns the file names. */
export async function writeCharts(profile: Profile, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const { name, spec } of chartSpecs(profile)) {
    const { svg, png } = await renderChart(spec);
    await writeFile(join(dir, `${name}.svg`), svg);
    await writeFile(join(dir, `${name}.png`), png);
    written.push(`${name}.svg`, `${name}.png`);
  }
  return written;
}
