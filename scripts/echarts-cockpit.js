// The ECharts build the cockpit loads (`make echarts` bundles it into src/lianxin/cockpit/static/cockpit/): only the
// chart types and components cockpit.js uses, on both renderers, as the global `echarts` the full build would give.
import * as echarts from "echarts/core";
import { BarChart, LineChart, MapChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent } from "echarts/components";
import { LabelLayout } from "echarts/features";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart, LineChart, MapChart, PieChart,
  GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent,
  LabelLayout, CanvasRenderer, SVGRenderer,
]);
window.echarts = echarts;
