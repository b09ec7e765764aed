// The parts of ECharts the dataset chart uses (a bar chart drawn as SVG, with its axes, tooltip and ARIA
// description), imported by name so the bundle holds only these; loaded on demand by DatasetChart.
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export { init };
