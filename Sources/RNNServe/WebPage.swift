/// The page `serve` shows at `/`: one HTML file with its CSS and JavaScript inline (no CDN, no
/// build step), embedded in the binary. Views: training (live loss and validation curves from
/// `GET /api/events`, chars/s, ETA), sampling (streamed), a text coloured by one unit's activation
/// (hover for values), checkpoints (list, load, save).
enum WebPage {
  static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>rnn — live view</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
      :root { --bg: #f7f7f5; --panel: #fff; --line: #ddd; --ink: #222; --dim: #777; --accent: #1f6feb; --val: #d9480f; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 14px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--ink); }
      header { display: flex; align-items: center; gap: 16px; padding: 8px 16px; background: #20232a; color: #eee; }
      header h1 { font-size: 16px; margin: 0; font-weight: 600; }
      header nav button { background: none; border: 0; color: #bbb; font: inherit; padding: 6px 10px; cursor: pointer; }
      header nav button.on { color: #fff; border-bottom: 2px solid #61dafb; }
      #status { margin-left: auto; font-size: 12px; color: #9ad; }
      main { display: grid; grid-template-columns: 280px 1fr; gap: 12px; padding: 12px; }
      section, aside { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
      aside h2, section h2 { font-size: 14px; margin: 0 0 8px; }
      .model { border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; margin-bottom: 6px; cursor: pointer; }
      .model.on { border-color: var(--accent); background: #eef4ff; }
      .model b { font-family: ui-monospace, monospace; }
      .model small { color: var(--dim); display: block; }
      .view { display: none; }
      .view.on { display: block; }
      label { display: inline-flex; flex-direction: column; font-size: 12px; color: var(--dim); margin: 0 8px 8px 0; }
      input, select, textarea { font: 13px ui-monospace, monospace; padding: 4px 6px; border: 1px solid #ccc; border-radius: 4px; }
      input[type=number] { width: 90px; }
      button.act { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 6px 12px; cursor: pointer; }
      button.act.stop { background: #c92a2a; }
      .figures { display: flex; gap: 24px; margin: 8px 0; font-size: 13px; }
      .figures div span { display: block; font-size: 20px; font-family: ui-monospace, monospace; }
      svg#chart { width: 100%; height: 320px; background: #fff; border: 1px solid var(--line); }
      pre { background: #f3f3f0; padding: 8px; border-radius: 4px; white-space: pre-wrap; max-height: 260px; overflow: auto;
            margin: 6px 0; }
      #sampleOut { min-height: 80px; font-size: 14px; }
      #coloured { font: 15px/1.9 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; padding: 8px;
                  border: 1px solid var(--line); min-height: 60px; }
      #coloured span { padding: 1px 0; }
      #hover { font: 12px ui-monospace, monospace; color: var(--dim); height: 18px; }
      .err { color: #c92a2a; font-size: 13px; white-space: pre-wrap; }
      table { border-collapse: collapse; width: 100%; font-size: 13px; }
      td, th { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; }
      .legend { font-size: 12px; color: var(--dim); }
      .legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin: 0 4px 0 10px; }
    </style>
    </head>
    <body>
    <header>
      <h1>rnn — live view</h1>
      <nav>
        <button data-view="train" class="on">Training</button><button data-view="sample">Sample</button>
        <button data-view="text">Text view</button><button data-view="ckpt">Checkpoints</button>
      </nav>
      <div id="status">connecting…</div>
    </header>
    <main>
      <aside>
        <h2>Models</h2>
        <div id="models"><small>no models yet: create one in the REPL (model m lstm hidden 128 on c)</small></div>
        <h2 style="margin-top:12px">Corpora</h2>
        <div id="corpora"></div>
        <h2 style="margin-top:12px">Session</h2>
        <pre id="log"></pre>
      </aside>
      <div>
        <section id="view-train" class="view on">
          <h2>Training: <span id="trainModel">—</span></h2>
          <div class="figures">
            <div>step<span id="fStep">—</span></div><div>loss<span id="fLoss">—</span></div>
            <div>validation<span id="fVal">—</span></div><div>chars/s<span id="fRate">—</span></div>
            <div>ETA<span id="fEta">—</span></div>
          </div>
          <svg id="chart" viewBox="0 0 900 320" preserveAspectRatio="none"></svg>
          <div class="legend"><i style="background:var(--accent)"></i>training loss (nats/char)
            <i style="background:var(--val)"></i>validation</div>
          <p>
            <label>steps<input id="tSteps" type="number" value="200" min="1"></label>
            <label>eval_every<input id="tEval" type="number" value="50" min="0"></label>
            <label>for (seconds, instead of steps)<input id="tFor" type="number" min="0" placeholder="—"></label>
            <button class="act" id="tStart">Train</button> <button class="act stop" id="tStop">Stop</button>
          </p>
          <div class="err" id="tErr"></div>
        </section>
        <section id="view-sample" class="view">
          <h2>Sample from <span class="curModel">—</span></h2>
          <label>prime<input id="sPrime" size="30" value=""></label>
          <label>temperature<input id="sTemp" type="number" step="0.1" value="0.8" min="0"></label>
          <label>top_k<input id="sTopK" type="number" min="1" placeholder="all"></label>
          <label>top_p<input id="sTopP" type="number" step="0.05" min="0" max="1" placeholder="1"></label>
          <label>length<input id="sLen" type="number" value="300" min="0"></label>
          <label>seed<input id="sSeed" type="number" min="0" placeholder="next"></label>
          <button class="act" id="sGo">Sample</button>
          <pre id="sampleOut"></pre>
          <div class="err" id="sErr"></div>
        </section>
        <section id="view-text" class="view">
          <h2>Text coloured by one unit of <span class="curModel">—</span></h2>
          <textarea id="xText" rows="4" style="width:100%">"Oh, I see," she said. "And then?"
    The end of the line comes here, after forty characters or so.</textarea>
          <p>
            <label>layer<input id="xLayer" type="number" value="1" min="1"></label>
            <label>unit<input id="xUnit" type="number" value="0" min="0"></label>
            <label>series<select id="xGate"><option>h</option><option>c</option><option>i</option><option>f</option>
              <option>g</option><option>o</option><option>r</option><option>z</option><option>n</option></select></label>
            <button class="act" id="xGo">Colour</button>
            <button class="act" id="xCells" style="background:#555">Find interpretable cells</button>
          </p>
          <div id="hover"></div>
          <div id="coloured"></div>
          <div class="legend">blue −1 · white 0 · red +1
            (sigmoid gates as 2g − 1, cell states scaled by their largest magnitude)</div>
          <pre id="cellsOut" style="display:none"></pre>
          <div class="err" id="xErr"></div>
        </section>
        <section id="view-ckpt" class="view">
          <h2>Checkpoints</h2>
          <table><thead><tr><th>path</th><th>size</th><th>modified</th><th></th></tr></thead><tbody id="ckpts"></tbody></table>
          <p><label>load as name<input id="cName" value="loaded"></label></p>
          <p><label>save model <span class="curModel">—</span> to<input id="cPath" size="40" value="checkpoints/web.safetensors"></label>
            <button class="act" id="cSave">Save</button></p>
          <pre id="cOut"></pre>
          <div class="err" id="cErr"></div>
        </section>
      </div>
    </main>
    <script>
    "use strict";
    const $ = id => document.getElementById(id);
    const params = new URLSearchParams(location.search);
    if (params.get("token")) sessionStorage.setItem("rnnToken", params.get("token"));
    const token = sessionStorage.getItem("rnnToken") || "";
    const state = { models: [], current: null, series: {}, last: {}, running: null };
    window.rnnState = state;

    async function api(method, path, body) {
      const headers = { "Content-Type": "application/json" };
      if (token) headers["Authorization"] = "Bearer " + token;
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const data = await r.json().catch(() => ({ error: "HTTP " + r.status }));
      if (!r.ok) throw new Error((data.field ? data.field + ": " : "") + data.error);
      return data;
    }
    function show(id, error) { $(id).textContent = error ? String(error.message || error) : ""; }
    function log(text) { const l = $("log"); l.textContent = (l.textContent + text + "\n").slice(-4000); l.scrollTop = 1e9; }
    function fmtTime(s) {
      if (s == null) return "—";
      s = Math.round(s); const m = Math.floor(s / 60);
      return m ? m + "m " + String(s % 60).padStart(2, "0") + "s" : s + "s";
    }
    function seriesOf(name) { return state.series[name] || (state.series[name] = { train: [], val: [] }); }

    document.querySelectorAll("header nav button").forEach(b => b.onclick = () => {
      document.querySelectorAll("header nav button").forEach(x => x.classList.toggle("on", x === b));
      document.querySelectorAll(".view").forEach(v => v.classList.toggle("on", v.id === "view-" + b.dataset.view));
      if (b.dataset.view === "ckpt") loadCheckpoints();
    });

    function renderModels() {
      const box = $("models");
      if (!state.models.length) return;
      box.innerHTML = "";
      for (const m of state.models) {
        const d = document.createElement("div");
        d.className = "model" + (m.name === state.current ? " on" : "");
        d.innerHTML = `<b></b> <small></small>`;
        d.querySelector("b").textContent = m.name;
        d.querySelector("small").textContent =
          `${m.cell.toUpperCase()} · ${m.layers}×${m.hidden} · embed ${m.embed} · vocab ${m.vocabulary} · ` +
          `${(m.parameters / 1000).toFixed(1)}k params · step ${m.step}` + (m.corpus ? ` · on ${m.corpus}` : "") +
          (m.unsaved ? " · unsaved" : "");
        d.onclick = () => select(m.name);
        box.appendChild(d);
      }
    }
    function select(name) {
      state.current = name;
      document.querySelectorAll(".curModel").forEach(e => e.textContent = name);
      $("trainModel").textContent = name;
      renderModels(); drawChart(); loadHistory(name);
    }
    async function loadModels() {
      state.models = await api("GET", "/api/models");
      if (state.models.length && !state.models.find(m => m.name === state.current)) select(state.models[0].name);
      renderModels();
      const corpora = await api("GET", "/api/corpora");
      $("corpora").innerHTML = corpora.map(c => `<div class="model"><b>${esc(c.name)}</b><small>${esc(c.path)} · ` +
        `${c.bytes} bytes · vocab ${c.vocabulary}</small></div>`).join("") || "<small>none</small>";
    }
    function esc(s) { return String(s).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }

    async function loadHistory(name) {
      try {
        const h = await api("GET", `/api/models/${encodeURIComponent(name)}/history`);
        const s = seriesOf(name);
        const live = s.train.filter(p => p[0] > (h.train.length ? h.train[h.train.length - 1][0] : 0));
        s.train = h.train.concat(live);
        const vals = new Map(h.validation.map(v => [v.step, v.loss]));
        for (const [step, loss] of s.val) vals.set(step, loss);
        s.val = [...vals.entries()].sort((a, b) => a[0] - b[0]);
        drawChart();
      } catch (e) { /* not trained yet, or busy: the stream fills in */ }
    }

    function drawChart() {
      const svg = $("chart"), W = 900, H = 320, L = 50, B = 24, T = 10, R = 10;
      const s = state.series[state.current] || { train: [], val: [] };
      const pts = s.train.concat(s.val);
      if (!pts.length) { svg.innerHTML = `<text x="450" y="160" text-anchor="middle" fill="#999">no training yet</text>`; return; }
      const x0 = Math.min(...pts.map(p => p[0])), x1 = Math.max(...pts.map(p => p[0]), x0 + 1);
      const y0 = Math.min(...pts.map(p => p[1])), y1 = Math.max(...pts.map(p => p[1]), y0 + 1e-3);
      const X = x => L + (x - x0) / (x1 - x0) * (W - L - R), Y = y => T + (y1 - y) / (y1 - y0) * (H - T - B);
      let g = "";
      for (let i = 0; i <= 4; i++) {
        const v = y0 + (y1 - y0) * i / 4;
        g += `<line x1="${L}" x2="${W - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/>` +
          `<text x="${L - 4}" y="${Y(v) + 4}" font-size="11" text-anchor="end" fill="#888">${v.toFixed(2)}</text>`;
      }
      g += `<text x="${L}" y="${H - 6}" font-size="11" fill="#888">step ${x0}</text>` +
        `<text x="${W - R}" y="${H - 6}" font-size="11" text-anchor="end" fill="#888">step ${x1}</text>`;
      if (s.train.length) g += `<polyline id="trainLine" fill="none" stroke="#1f6feb" stroke-width="1.5" points="` +
        s.train.map(p => X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1)).join(" ") + `"/>`;
      if (s.val.length > 1) g += `<polyline fill="none" stroke="#d9480f" stroke-width="2" points="` +
        s.val.map(p => X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1)).join(" ") + `"/>`;
      for (const p of s.val) g += `<circle class="valPoint" cx="${X(p[0])}" cy="${Y(p[1])}" r="3.5" fill="#d9480f"/>`;
      svg.innerHTML = g;
      svg.dataset.points = String(s.train.length);
    }

    let redraw = null;
    function connect() {
      const es = new EventSource("/api/events" + (token ? "?token=" + encodeURIComponent(token) : ""));
      es.addEventListener("hello", () => { $("status").textContent = "connected"; });
      es.addEventListener("progress", e => {
        const p = JSON.parse(e.data), s = seriesOf(p.model);
        if (p.loss != null) s.train.push([p.step, p.loss]);
        if (s.train.length > 4000) s.train = s.train.filter((_, i) => i % 2 === 0);
        state.last[p.model] = p;
        if (!state.current) state.current = p.model;
        if (p.model === state.current) {
          $("fStep").textContent = p.step + (p.total ? ` (${p.done}/${p.total})` : "");
          $("fLoss").textContent = p.loss != null ? p.loss.toFixed(3) : "—";
          $("fRate").textContent = Math.round(p.chars_per_second).toLocaleString();
          $("fEta").textContent = fmtTime(p.eta);
        }
        state.received = (state.received || 0) + 1;
        if (!redraw) redraw = setTimeout(() => { redraw = null; drawChart(); }, 200);
      });
      es.addEventListener("validation", e => {
        const v = JSON.parse(e.data);
        seriesOf(v.model).val.push([v.step, v.loss]);
        if (v.model === state.current) $("fVal").textContent = v.loss.toFixed(3);
        drawChart();
      });
      es.addEventListener("begin", e => { const b = JSON.parse(e.data); state.running = b.statement;
        $("status").textContent = "running: " + b.statement + " (" + b.source + ")"; });
      es.addEventListener("end", () => { state.running = null; $("status").textContent = "idle"; });
      es.addEventListener("models", e => { state.models = JSON.parse(e.data).models;
        if (!state.current && state.models.length) select(state.models[0].name); renderModels(); });
      for (const kind of ["line", "warning", "error"])
        es.addEventListener(kind, e => log((kind === "line" ? "" : kind + ": ") + JSON.parse(e.data).text));
      es.onerror = () => { $("status").textContent = "disconnected; retrying…"; };
    }

    $("tStart").onclick = async () => {
      show("tErr");
      const body = {};
      if ($("tFor").value) body["for"] = Number($("tFor").value); else body.steps = Number($("tSteps").value);
      if ($("tEval").value !== "") body.eval_every = Number($("tEval").value);
      try { await api("POST", `/api/models/${state.current}/train`, body); } catch (e) { show("tErr", e); }
    };
    $("tStop").onclick = async () => { try { await api("POST", "/api/train/stop", {}); } catch (e) { show("tErr", e); } };

    $("sGo").onclick = async () => {
      show("sErr"); $("sampleOut").textContent = "";
      const body = { prime: $("sPrime").value, temperature: Number($("sTemp").value), length: Number($("sLen").value), stream: true };
      if ($("sTopK").value) body.top_k = Number($("sTopK").value);
      if ($("sTopP").value) body.top_p = Number($("sTopP").value);
      if ($("sSeed").value !== "") body.seed = Number($("sSeed").value);
      const headers = { "Content-Type": "application/json" };
      if (token) headers["Authorization"] = "Bearer " + token;
      try {
        const r = await fetch(`/api/models/${state.current}/sample`, { method: "POST", headers, body: JSON.stringify(body) });
        if (!r.ok) { const d = await r.json(); throw new Error((d.field ? d.field + ": " : "") + d.error); }
        const reader = r.body.getReader(), dec = new TextDecoder();
        for (;;) { const { done, value } = await reader.read(); if (done) break;
          $("sampleOut").textContent += dec.decode(value, { stream: true }); }
        $("sampleOut").dataset.done = "1";
      } catch (e) { show("sErr", e); }
    };

    function shade(v) {
      v = Math.max(-1, Math.min(1, v));
      const t = Math.abs(v), c = Math.round(255 * (1 - t));
      return v >= 0 ? `rgb(255,${c},${c})` : `rgb(${c},${c},255)`;
    }
    $("xGo").onclick = async () => {
      show("xErr");
      const body = { text: $("xText").value, layer: Number($("xLayer").value), unit: Number($("xUnit").value), gate: $("xGate").value };
      try {
        const d = await api("POST", `/api/models/${state.current}/activations`, body);
        const chars = Array.from(d.text), box = $("coloured");
        box.innerHTML = "";
        chars.forEach((ch, i) => {
          const span = document.createElement("span");
          span.textContent = ch;
          const v = d.shades[i] ?? 0;
          span.style.background = shade(v);
          span.dataset.raw = d.raw[i];
          span.title = `${JSON.stringify(ch)}  ${d.raw[i] != null ? d.raw[i].toFixed(4) : ""}`;
          span.onmouseenter = () => $("hover").textContent = `${d.title}: ${JSON.stringify(ch)} → ${Number(d.raw[i]).toFixed(4)}`;
          box.appendChild(span);
        });
        $("hover").textContent = d.output.join(" ");
      } catch (e) { show("xErr", e); }
    };
    $("xCells").onclick = async () => {
      show("xErr");
      try {
        const d = await api("POST", `/api/models/${state.current}/cells`, { text: $("xText").value });
        const out = $("cellsOut"); out.style.display = "block"; out.textContent = d.output.join("\n");
      } catch (e) { show("xErr", e); }
    };

    async function loadCheckpoints() {
      try {
        const list = await api("GET", "/api/checkpoints");
        const body = $("ckpts"); body.innerHTML = "";
        for (const c of list) {
          const tr = document.createElement("tr");
          tr.innerHTML = `<td></td><td>${(c.bytes / 1024).toFixed(0)} KiB</td><td>${esc(c.modified)}</td><td><button>Load</button></td>`;
          tr.firstChild.textContent = c.path;
          tr.querySelector("button").onclick = async () => {
            show("cErr");
            try { const d = await api("POST", "/api/load", { path: c.path, name: $("cName").value });
              $("cOut").textContent = d.output.join("\n"); } catch (e) { show("cErr", e); }
          };
          body.appendChild(tr);
        }
        if (!list.length) body.innerHTML = "<tr><td colspan=4>no checkpoints under checkpoints/</td></tr>";
      } catch (e) { show("cErr", e); }
    }
    $("cSave").onclick = async () => {
      show("cErr");
      try { const d = await api("POST", `/api/models/${state.current}/save`, { path: $("cPath").value });
        $("cOut").textContent = d.output.join("\n"); loadCheckpoints(); } catch (e) { show("cErr", e); }
    };

    loadModels().catch(e => log("error: " + e.message));
    connect();
    </script>
    </body>
    </html>
    """#
}
