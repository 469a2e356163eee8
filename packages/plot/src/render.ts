import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG string, in Node or a browser alike: vega-lite compiles it to
 * a Vega spec and a headless vega View (renderer 'none') serialises the scene, so neither a DOM
 * nor a canvas is needed. Every chart function of this package ends here.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
