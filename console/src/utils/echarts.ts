// ECharts with only what the dashboard draws (line, bar, pie, funnel; grid, tooltip, legend,
// the aria description) and the SVG renderer: crisp at any zoom, and its shapes are elements
// the browser tests can count. Imported by the dashboard's lazy chunk only.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, PieChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export { echarts };
