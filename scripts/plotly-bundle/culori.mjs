// What plotly.js's colour code (src/components/color/index.js) takes from culori, with the colour
// spaces CSS names (rgb, hsl, hwb, lab, lch, oklab, oklch, color(display-p3 …) and the rest):
// every CSS colour is read as before. culori's default build also registers a dozen spaces no
// browser reads (cubehelix, jab, okhsv, …): 21 KB compressed of the bundle's 282. build.js puts
// this file where plotly.js asks for 'culori'.
import 'culori/css';

export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance } from 'culori/fn';
