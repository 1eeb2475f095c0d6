// Draws the conversion report from REPORT (inlined by ConversionReport). Every chart names its
// series after the method, so a reader (and the browser test) can tell them apart.
(function () {
  'use strict';
  const methods = REPORT.methods;
  const pct = v => (100 * v).toFixed(2) + '%';
  const num = v => Number(v).toLocaleString('en-US', { maximumFractionDigits: 0 });
  const layersOf = key => {
    const names = [];
    methods.forEach(m => Object.keys(m[key] || {}).forEach(l => { if (!names.includes(l)) names.push(l); }));
    return names;
  };
  const charts = {};
  const chart = (id, option) => {
    const c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
    c.setOption(Object.assign({ animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' },
      grid: { left: 70, right: 24, top: 40, bottom: 50 } }, option));
    charts[id] = c;
    return c;
  };

  const first = methods[0];
  document.getElementById('summary').textContent = [
    first.samples + ' samples', 'T = ' + first.timesteps, 'reset ' + first.reset,
    first.input_coding ? first.input_coding + ' input' : 'event input',
    'ANN accuracy ' + pct(first.ann_accuracy)].join(' · ');

  const steps = [];
  methods.forEach(m => Object.keys(m.accuracy).map(Number).forEach(t => { if (!steps.includes(t)) steps.push(t); }));
  steps.sort((a, b) => a - b);
  const accuracySeries = methods.map(m => ({
    name: m.method, type: 'line', symbolSize: 6,
    data: Object.entries(m.accuracy).map(([t, a]) => [Number(t), +(100 * a).toFixed(3)])
  }));
  const anns = [...new Set(methods.map(m => m.ann_accuracy))];
  anns.forEach((a, i) => accuracySeries.push({
    name: anns.length === 1 ? 'ANN' : 'ANN (' + methods.find(m => m.ann_accuracy === a).method + ')',
    type: 'line', symbol: 'none', lineStyle: { type: 'dashed', color: '#1d2433' }, itemStyle: { color: '#1d2433' },
    data: [[steps[0], +(100 * a).toFixed(3)], [steps[steps.length - 1], +(100 * a).toFixed(3)]]
  }));
  chart('accuracy', {
    xAxis: { type: 'log', logBase: 2, name: 'time step', nameLocation: 'middle', nameGap: 28, min: steps[0], max: steps[steps.length - 1] },
    yAxis: { type: 'value', name: 'accuracy %', scale: true },
    series: accuracySeries
  });

  const spikeLayers = layersOf('spikes_per_neuron');
  chart('spikes', {
    xAxis: { type: 'category', data: spikeLayers, axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'spikes / neuron' },
    series: methods.map(m => ({ name: m.method, type: 'bar', data: spikeLayers.map(l => m.spikes_per_neuron[l] ?? null) }))
  });

  const thresholdLayers = layersOf('thresholds');
  chart('thresholds', {
    xAxis: { type: 'category', data: thresholdLayers, axisLabel: { rotate: 30 } },
    yAxis: { type: 'log', name: 'threshold' },
    series: methods.map(m => ({ name: m.method, type: 'line', data: thresholdLayers.map(l => m.thresholds[l] ?? null) }))
  });

  chart('ops', {
    xAxis: { type: 'category', data: methods.map(m => m.method) },
    yAxis: { type: 'value', name: 'operations / image' },
    series: [
      { name: 'SNN synaptic ops', type: 'bar', data: methods.map(m => Math.round(m.synaptic_ops_per_image)) },
      { name: 'ANN MACs', type: 'bar', data: methods.map(m => m.ann_macs_per_image) }
    ]
  });
  chart('energy', {
    xAxis: { type: 'category', data: methods.map(m => m.method) },
    yAxis: { type: 'value', name: 'µJ / image' },
    series: [
      { name: 'SNN', type: 'bar', data: methods.map(m => +m.snn_energy_uj.toFixed(4)) },
      { name: 'ANN', type: 'bar', data: methods.map(m => +m.ann_energy_uj.toFixed(4)) }
    ]
  });

  const table = (rows, head) => '<table><tr>' + head.map(h => '<th>' + h + '</th>').join('') + '</tr>'
    + rows.map(r => '<tr>' + r.map(c => '<td>' + c + '</td>').join('') + '</tr>').join('') + '</table>';
  const esc = s => String(s).replace(/[&<>"]/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch]));
  document.getElementById('accuracy-table').innerHTML = table(
    methods.map(m => [esc(m.method), pct(m.ann_accuracy)].concat(steps.map(t => m.accuracy[t] === undefined ? '-' : pct(m.accuracy[t])))
      .concat([m.ops_ratio.toFixed(2), num(m.image_steps_per_s)])),
    ['method', 'ANN'].concat(steps.map(t => 'T=' + t)).concat(['ops / MACs', 'image-steps/s']));
  const keys = [];
  methods.forEach(m => Object.keys(m.calibration || {}).forEach(k => { if (!keys.includes(k)) keys.push(k); }));
  const common = ['model', 'reset', 'input_coding', 'initial_membrane_fraction', 'samples', 'timesteps'];
  // one row per fact, one column per method: the facts are many, the methods few
  const value = v => v === undefined || v === null || v === '' ? '-' : esc(v);
  document.getElementById('provenance').innerHTML = table(
    common.map(k => [k.replace(/_/g, ' ')].concat(methods.map(m => value(m[k]))))
      .concat(keys.map(k => ['calibration ' + k.replace(/_/g, ' ')].concat(methods.map(m => value((m.calibration || {})[k]))))),
    [''].concat(methods.map(m => esc(m.method))));
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  // read by the browser test and by anyone scripting the page
  window.spikefluxCharts = charts;
})();
