// The live page: frames (binary) and states (JSON) arrive on one WebSocket; frames are drawn on the
// next animation frame only (a newer frame replaces one not drawn yet), so a busy tab skips frames
// instead of falling behind.
(function () {
  'use strict';
  const sensorsEl = document.getElementById('sensors');
  const connection = document.getElementById('connection');
  const engineEl = document.getElementById('engine');
  const cards = new Map();
  const pending = new Map();
  const palette = ['#4f8ef7', '#f7b84f', '#5fd08a', '#e5645b', '#b07cf0', '#4fd0d0', '#f08cc0', '#c0c050', '#8fa0b8', '#f09050'];
  const classColour = k => palette[k % palette.length];
  let classes = [];
  let drawScheduled = false;
  // read by tests and by anyone scripting the page
  const stats = window.spikeflux = { framesReceived: 0, framesDrawn: 0, states: 0, lastState: null };

  function card(id) {
    let c = cards.get(id);
    if (c) return c;
    const waiting = document.getElementById('waiting');
    if (waiting) waiting.remove();
    const el = document.createElement('section');
    el.className = 'sensor';
    el.dataset.sensor = id;
    el.innerHTML = '<h2></h2><canvas class="frame"></canvas><div class="announced">-</div>' +
      '<canvas class="timeline" width="300" height="14"></canvas><div class="bars"></div><div class="counters"></div>';
    el.querySelector('h2').textContent = id;
    // keep the cards in the order of their ids
    const after = [...cards.keys()].sort().find(k => k > id);
    sensorsEl.insertBefore(el, after ? cards.get(after).el : null);
    c = { el, frame: el.querySelector('canvas.frame'), image: null, announced: el.querySelector('.announced'),
          timeline: el.querySelector('canvas.timeline'), bars: el.querySelector('.bars'),
          counters: el.querySelector('.counters'), barRows: [] };
    cards.set(id, c);
    return c;
  }

  function onFrame(buffer) {
    const v = new DataView(buffer);
    if (v.getUint8(0) !== 1) return;
    const idLength = v.getUint16(1, true);
    const id = new TextDecoder().decode(new Uint8Array(buffer, 3, idLength));
    let o = 3 + idLength;
    const w = v.getUint16(o, true), h = v.getUint16(o + 2, true);
    o += 8;
    const events = v.getUint32(o, true);
    stats.framesReceived++;
    pending.set(id, { w, h, events, cells: new Uint8Array(buffer, o + 4, w * h) });
    if (!drawScheduled) {
      drawScheduled = true;
      requestAnimationFrame(drawFrames);
    }
  }

  function drawFrames() {
    drawScheduled = false;
    for (const [id, f] of pending) {
      const c = card(id);
      if (!c.image || c.image.width !== f.w || c.image.height !== f.h) {
        c.frame.width = f.w;
        c.frame.height = f.h;
        c.image = c.frame.getContext('2d').createImageData(f.w, f.h);
      }
      const px = c.image.data;
      for (let i = 0; i < f.cells.length; i++) {
        const b = f.cells[i];
        const j = 4 * i;
        if (b === 0) { px[j] = 0; px[j + 1] = 0; px[j + 2] = 0; }
        else if (b < 128) { const l = 2 * b; px[j] = l / 5; px[j + 1] = l; px[j + 2] = l / 3; }
        else { const l = 2 * (b - 128); px[j] = l; px[j + 1] = l / 5; px[j + 2] = l / 5; }
        px[j + 3] = 255;
      }
      c.frame.getContext('2d').putImageData(c.image, 0, 0);
      stats.framesDrawn++;
    }
    pending.clear();
  }

  const fmt = (v, d) => v === undefined || v === null ? '-' : Number(v).toLocaleString('en-US', { maximumFractionDigits: d || 0 });

  function onState(s) {
    stats.states++;
    stats.lastState = s;
    classes = s.classes || classes;
    if (s.engine) {
      const e = s.engine;
      engineEl.textContent = `sensors ${e.active} · evicted ${e.evicted} · failed ${e.failed} · refused ${fmt(e.refused_packets)} pkts · ` +
        `queue drops ${fmt(e.queue_dropped_packets)} pkts · shed for lag ${fmt(e.shed_packets)} pkts · late events ${fmt(e.late_events)}` + (e.failure ? ' · FAILED: ' + e.failure : '');
    }
    for (const x of s.sensors) {
      const c = card(x.id);
      const name = x.class === undefined || x.class < 0 ? '-' : (x.name || classes[x.class] || String(x.class));
      c.announced.innerHTML = '';
      const label = document.createElement('span');
      label.className = 'class-name';
      label.textContent = name;
      c.announced.appendChild(label);
      c.announced.dataset.class = x.class === undefined ? '' : String(x.class);
      if (x.confidence !== undefined && x.class >= 0) {
        const conf = document.createElement('span');
        conf.className = 'conf';
        conf.textContent = (100 * x.confidence).toFixed(0) + '%';
        c.announced.appendChild(conf);
      }
      drawBars(c, x);
      drawTimeline(c, x.class);
      c.counters.textContent = `${fmt(x.events_per_s)} ev/s · decisions ${fmt(x.decisions)} · latency p50 ${fmt(x.latency_p50_ms, 2)} ms p99 ${fmt(x.latency_p99_ms, 2)} ms` +
        (x.datagrams === undefined ? '' : ` · datagrams ${fmt(x.datagrams)} · lost ${fmt(x.lost)} · dropped ${fmt(x.dropped)} · malformed ${fmt(x.malformed)}`);
    }
  }

  function drawBars(c, x) {
    const shares = x.shares || [];
    if (c.barRows.length !== shares.length) {
      c.bars.innerHTML = '';
      c.barRows = shares.map((_, k) => {
        const label = document.createElement('span');
        label.textContent = classes[k] || String(k);
        const bar = document.createElement('div');
        bar.className = 'bar';
        const fill = document.createElement('div');
        // the class's colour, the same as in the timeline, so the bars are the timeline's legend
        fill.style.background = classColour(k);
        bar.appendChild(fill);
        const value = document.createElement('span');
        c.bars.append(label, bar, value);
        return { label, bar, fill, value };
      });
    }
    shares.forEach((v, k) => {
      const r = c.barRows[k];
      r.fill.style.width = (100 * v).toFixed(1) + '%';
      r.bar.classList.toggle('top', k === x.class);
      r.label.classList.toggle('top', k === x.class);
      r.value.textContent = (100 * v).toFixed(0) + '%';
    });
  }

  function drawTimeline(c, cls) {
    // one column per state (one every 120 ms): 300 columns are the last 36 s
    const g = c.timeline.getContext('2d');
    g.drawImage(c.timeline, -1, 0);
    g.fillStyle = cls === undefined || cls < 0 ? '#263048' : classColour(cls);
    g.fillRect(c.timeline.width - 1, 0, 1, c.timeline.height);
  }

  let retry = 250;
  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { retry = 250; connection.textContent = 'live'; connection.className = 'badge up'; };
    ws.onmessage = m => { if (typeof m.data === 'string') onState(JSON.parse(m.data)); else onFrame(m.data); };
    ws.onclose = () => {
      connection.textContent = 'disconnected, retrying';
      connection.className = 'badge down';
      setTimeout(connect, retry);
      retry = Math.min(5000, retry * 2);
    };
  }
  connect();
})();
