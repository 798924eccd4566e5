/// The page `serve` shows at `/`: one HTML file with its CSS and JavaScript inline (no CDN, no
/// build step), embedded in the binary. Views: training (every model of every kind; live loss and
/// validation curves from `GET /api/events`, chars/s, ETA), the chosen model's own action
/// (sampling, streamed; a generator's words; translate; tag; classify), a text coloured by one
/// unit's activation (hover for values; `cells` lists units to click) with the gate-saturation and
/// gradient-flow charts drawn in SVG, checkpoints (list, load, save).
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
      .kind { font-size: 11px; color: #fff; background: #888; border-radius: 3px; padding: 0 4px; margin-left: 4px; }
      .kind.language_model { background: #1f6feb; } .kind.classifier { background: #8250df; }
      .kind.generator { background: #1a7f37; } .kind.tagger { background: #bf8700; } .kind.seq2seq { background: #cf222e; }
      .panel { display: none; } .panel.on { display: block; }
      .bar { height: 16px; background: var(--accent); display: inline-block; vertical-align: middle; }
      #tagged { font: 15px/1.9 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; padding: 8px;
                border: 1px solid var(--line); min-height: 40px; }
      #cellsTable tr { cursor: pointer; } #cellsTable tr:hover, #cellsTable tr.on { background: #eef4ff; }
      svg.chart2 { width: 100%; background: #fff; border: 1px solid var(--line); margin-top: 6px; }
      h3 { font-size: 13px; margin: 14px 0 4px; }
    </style>
    </head>
    <body>
    <header>
      <h1>rnn — live view</h1>
      <nav>
        <button data-view="train" class="on">Training</button><button data-view="sample" id="navAct">Sample</button>
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
          <div class="panel" id="panel-language_model">
          <h2>Sample from <span class="curModel">—</span></h2>
          <label>prime<input id="sPrime" size="30" value=""></label>
          <label>temperature<input id="sTemp" type="number" step="0.1" value="0.8" min="0"></label>
          <label>top_k<input id="sTopK" type="number" min="1" placeholder="all"></label>
          <label>top_p<input id="sTopP" type="number" step="0.05" min="0" max="1" placeholder="1"></label>
          <label>length<input id="sLen" type="number" value="300" min="0"></label>
          <label>seed<input id="sSeed" type="number" min="0" placeholder="next"></label>
          <button class="act" id="sGo">Sample</button>
          <pre id="sampleOut"></pre>
          </div>
          <div class="panel" id="panel-generator">
            <h2>Words from the generator <span class="curModel">—</span></h2>
            <label>label<select id="gLabel"></select></label>
            <label>count<input id="gCount" type="number" value="5" min="1" max="100"></label>
            <label>length<input id="gLen" type="number" min="1" placeholder="max_length"></label>
            <label>temperature<input id="gTemp" type="number" step="0.1" value="0.8" min="0"></label>
            <label>seed<input id="gSeed" type="number" min="0" placeholder="next"></label>
            <label>prime<input id="gPrime" size="10" value=""></label>
            <button class="act" id="gGo">Sample words</button>
            <table id="gOut"></table>
          </div>
          <div class="panel" id="panel-seq2seq">
            <h2>Translate with <span class="curModel">—</span></h2>
            <label>text<input id="tText" size="40" value="the 3rd of March, 1997"></label>
            <label>beam<input id="tBeam" type="number" value="1" min="1" max="64"></label>
            <button class="act" id="trGo">Translate</button>
            <pre id="trOut"></pre>
          </div>
          <div class="panel" id="panel-tagger">
            <h2>Tag every character with <span class="curModel">—</span></h2>
            <textarea id="qText" rows="3" style="width:100%">He said "stop" and left (quietly).</textarea>
            <p><button class="act" id="qGo">Tag</button></p>
            <div id="qHover" class="legend" style="height:18px"></div>
            <div id="tagged"></div>
            <div class="legend">shade: the probability of a tag other than the background; a tag's own character under it</div>
          </div>
          <div class="panel" id="panel-classifier">
            <h2>Classify with <span class="curModel">—</span></h2>
            <label>text<input id="kText" size="50" value="what a wonderful, funny film"></label>
            <button class="act" id="kGo">Classify</button>
            <table id="kOut"></table>
          </div>
          <div class="err" id="sErr"></div>
        </section>
        <section id="view-text" class="view">
          <h2>Text coloured by one unit of <span class="curModel">—</span></h2>
          <textarea id="xText" rows="4" style="width:100%" placeholder="empty: the start of the model's validation split">"Oh, I see," she said. "And then?"
    The end of the line comes here, after forty characters or so.</textarea>
          <p>
            <label>layer<input id="xLayer" type="number" value="1" min="1"></label>
            <label>unit<input id="xUnit" type="number" value="0" min="0"></label>
            <label>series<select id="xGate"><option>h</option><option>c</option><option>i</option><option>f</option>
              <option>g</option><option>o</option><option>r</option><option>z</option><option>n</option></select></label>
            <button class="act" id="xGo">Colour</button>
          </p>
          <p>
            <label>cells: property<select id="xProp"><option>quotes</option><option>parens</option><option>depth</option>
              <option>line_position</option><option>newline</option><option>regex</option></select></label>
            <label>regex<input id="xRegex" size="12" placeholder="[A-Z][a-z]+"></label>
            <label>top<input id="xTop" type="number" value="8" min="1" max="100"></label>
            <button class="act" id="xCells" style="background:#555">Find interpretable cells</button>
            <button class="act" id="xSat" style="background:#555">Gate saturation</button>
            <label>steps back<input id="xSteps" type="number" value="40" min="1" max="200"></label>
            <label>compare<select id="xCompare"><option value="">this model only</option>
              <option value="all">every language model</option></select></label>
            <button class="act" id="xGrad" style="background:#555">Gradient flow</button>
          </p>
          <div id="hover"></div>
          <div id="coloured"></div>
          <div class="legend">blue −1 · white 0 · red +1
            (sigmoid gates as 2g − 1, cell states scaled by their largest magnitude)</div>
          <div id="cellsBox" style="display:none">
            <h3>Units ranked by |r| with <span id="cellsProp"></span> (click one to colour the text by it)</h3>
            <table><thead><tr><th>rank</th><th>layer</th><th>unit</th><th>series</th><th>r</th><th></th></tr></thead>
              <tbody id="cellsTable"></tbody></table>
          </div>
          <div class="err" id="xErr"></div>
          <div id="satBox" style="display:none">
            <h3>Gate saturation: each dot a unit, by the fraction of characters it is left- (x) and right-saturated (y)</h3>
            <svg id="satChart" class="chart2" viewBox="0 0 900 260"></svg>
            <div class="legend" id="satLegend"></div>
          </div>
          <div id="gradBox" style="display:none">
            <h3>Gradient flow: ‖∂L_t/∂h_(t−k)‖ by distance k (log scale)</h3>
            <svg id="gradChart" class="chart2" viewBox="0 0 900 300"></svg>
            <div class="legend" id="gradLegend"></div>
          </div>
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
        d.dataset.kind = m.kind;
        d.innerHTML = `<b></b><span class="kind ${esc(m.kind)}"></span> <small></small>`;
        d.querySelector("b").textContent = m.name;
        d.querySelector(".kind").textContent = kindNames[m.kind] || m.kind;
        d.querySelector("small").textContent = describe(m);
        d.onclick = () => select(m.name);
        box.appendChild(d);
      }
      showPanels();
    }
    const kindNames = { language_model: "language model", classifier: "classifier", generator: "generator", tagger: "tagger",
      seq2seq: "seq2seq" };
    const actionNames = { language_model: "Sample", generator: "Sample words", seq2seq: "Translate", tagger: "Tag",
      classifier: "Classify" };
    /** One line of a model's facts, by kind. */
    function describe(m) {
      const shape = `${m.cell.toUpperCase()} ${m.layers}×${m.hidden}`, params = `${(m.parameters / 1000).toFixed(1)}k params`;
      const few = list => list.slice(0, 4).map(x => JSON.stringify(x)).join(", ") + (list.length > 4 ? ", …" : "");
      switch (m.kind) {
        case "classifier": return `${shape} · labels ${few(m.labels)} · ${params} · ${m.step} epochs`;
        case "generator": return `${shape} · ${m.labels.length} labels (${few(m.labels)}) · ${params} · step ${m.step}`;
        case "tagger": return `${shape} · ${m.tag_source} · tags ${few(m.tags)} · ${params} · step ${m.step}`;
        case "seq2seq": return `${shape}${m.attention ? " + attention" : ""} · ${m.vocabulary} → ${m.target_vocabulary} ` +
          `characters · ${params} · step ${m.step}`;
        default: return `${shape} · embed ${m.embed} · vocab ${m.vocabulary} · ${params} · step ${m.step}` +
          (m.corpus ? ` · on ${m.corpus}` : "") + (m.unsaved ? " · unsaved" : "");
      }
    }
    function currentModel() { return state.models.find(m => m.name === state.current); }
    /** The action view (and its tab's name) for the chosen model's kind. */
    function showPanels() {
      const m = currentModel(), kind = m ? m.kind : "language_model";
      $("navAct").textContent = actionNames[kind] || "Sample";
      document.querySelectorAll(".panel").forEach(p => p.classList.toggle("on", p.id === "panel-" + kind));
      if (kind === "generator" && $("gLabel").dataset.model !== m.name + m.labels.join("\u0000")) {
        $("gLabel").innerHTML = `<option value="">every label</option>` +
          m.labels.map(l => `<option>${esc(l)}</option>`).join("");
        $("gLabel").dataset.model = m.name + m.labels.join("\u0000");
      }
    }
    function select(name) {
      state.current = name;
      document.querySelectorAll(".curModel").forEach(e => e.textContent = name);
      $("trainModel").textContent = name;
      renderModels(); drawChart(); loadHistory(name);
    }
    const modelPath = action => `/api/models/${encodeURIComponent(state.current)}/${action}`;
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
    /** The text fields of an analysis request: the text above, or (empty text) the model's validation split. */
    function analysisText() { return $("xText").value ? { text: $("xText").value } : {}; }
    $("xCells").onclick = async () => {
      show("xErr");
      const body = Object.assign(analysisText(), { property: $("xProp").value, top: Number($("xTop").value) });
      if (body.property === "regex") body.regex = $("xRegex").value;
      try {
        const d = await api("POST", modelPath("cells"), body);
        $("cellsBox").style.display = "block";
        $("cellsProp").textContent = `${d.property} over ${d.label} (${d.characters} characters)`;
        const rows = $("cellsTable"); rows.innerHTML = "";
        d.units.forEach((u, i) => {
          const tr = document.createElement("tr");
          tr.dataset.layer = u.layer; tr.dataset.unit = u.unit; tr.dataset.series = u.series;
          tr.innerHTML = `<td>${i + 1}</td><td>${u.layer}</td><td>${u.unit}</td><td>${esc(u.series)}</td>` +
            `<td>${u.r == null ? "—" : (u.r >= 0 ? "+" : "") + u.r.toFixed(3)}</td>` +
            `<td><span class="bar" style="width:${Math.round(Math.abs(u.r || 0) * 160)}px;background:${u.r >= 0 ? "#d9480f" : "#1f6feb"}"></span></td>`;
          tr.onclick = () => {
            rows.querySelectorAll("tr").forEach(r => r.classList.toggle("on", r === tr));
            $("xLayer").value = u.layer; $("xUnit").value = u.unit; $("xGate").value = u.series;
            $("xGo").click();
          };
          rows.appendChild(tr);
        });
      } catch (e) { show("xErr", e); }
    };

    const palette = ["#1f6feb", "#d9480f", "#1a7f37", "#8250df", "#bf8700", "#cf222e", "#0a7ea4", "#6e7781"];
    $("xSat").onclick = async () => {
      show("xErr");
      try { drawSaturation(await api("POST", modelPath("saturation"), analysisText())); } catch (e) { show("xErr", e); }
    };
    /** The paper's saturation plot: one square per gate, a dot per unit at (left-, right-saturated fraction), coloured by layer. */
    function drawSaturation(d) {
      const svg = $("satChart"), gates = [...new Set(d.rows.map(r => r.gate))], W = 900, n = gates.length;
      const cellW = W / n, size = Math.min(190, cellW - 70), top = 12;
      let g = "", dots = 0;
      gates.forEach((gate, j) => {
        const x0 = j * cellW + 44, rows = d.rows.filter(r => r.gate === gate);
        const X = v => x0 + v * size, Y = v => top + (1 - v) * size;
        g += `<rect x="${x0}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#bbb"/>` +
          `<line x1="${X(0)}" y1="${Y(1)}" x2="${X(1)}" y2="${Y(0)}" stroke="#ddd" stroke-dasharray="4 3"/>`;
        for (const t of [0, 0.5, 1]) {
          g += `<text x="${X(t)}" y="${top + size + 13}" font-size="10" text-anchor="middle" fill="#888">${t}</text>` +
            `<text x="${x0 - 4}" y="${Y(t) + 4}" font-size="10" text-anchor="end" fill="#888">${t}</text>`;
        }
        g += `<text x="${x0 + size / 2}" y="${top + size + 28}" font-size="12" text-anchor="middle" fill="#333">` +
          `${esc(gate)}${rows[0] && rows[0].tanh ? " (tanh)" : ""} — left (x) / right (y)</text>`;
        for (const r of rows) {
          r.units_left.forEach((l, u) => {
            g += `<circle class="satDot" cx="${X(l || 0).toFixed(1)}" cy="${Y(r.units_right[u] || 0).toFixed(1)}" r="2.6" ` +
              `fill="${palette[(r.layer - 1) % palette.length]}" fill-opacity="0.55"/>`;
            dots++;
          });
        }
      });
      svg.setAttribute("viewBox", `0 0 ${W} ${top + size + 36}`);
      svg.innerHTML = g; svg.dataset.dots = String(dots);
      $("satBox").style.display = "block";
      const layers = [...new Set(d.rows.map(r => r.layer))];
      $("satLegend").innerHTML = `${esc(d.model)} (${esc(d.cell.toUpperCase())}, ${d.hidden} units) over ${esc(d.label)}, ` +
        `${d.characters} characters. ` + layers.map(l => `<i style="background:${palette[(l - 1) % palette.length]}"></i>layer ${l}`).join("") +
        "<br>" + d.rows.map(r => `layer ${r.layer} ${esc(r.gate)}: left ${(r.left * 100).toFixed(1)}%, right ${(r.right * 100).toFixed(1)}%`).join(" · ");
    }

    $("xGrad").onclick = async () => {
      show("xErr");
      const body = Object.assign(analysisText(), { steps: Number($("xSteps").value) });
      if ($("xCompare").value === "all")
        body.compare = state.models.filter(m => m.kind === "language_model" && m.name !== state.current).map(m => m.name);
      try { drawGradients(await api("POST", modelPath("gradients"), body)); } catch (e) { show("xErr", e); }
    };
    /** The lecture's vanishing-gradient chart: the gradient norm k steps back, one line per model, log scale. */
    function drawGradients(d) {
      const svg = $("gradChart"), W = 900, H = 300, L = 64, R = 12, T = 10, B = 30;
      const values = d.curves.flatMap(c => c.norms.filter(v => v != null && v > 0));
      if (!values.length) { svg.innerHTML = `<text x="450" y="150" text-anchor="middle" fill="#999">no finite norms</text>`; return; }
      let lo = Math.floor(Math.log10(Math.min(...values))), hi = Math.ceil(Math.log10(Math.max(...values)));
      if (hi <= lo) hi = lo + 1;
      const X = k => L + k / Math.max(1, d.steps) * (W - L - R), Y = v => T + (hi - Math.log10(v)) / (hi - lo) * (H - T - B);
      let g = "";
      for (let e = lo; e <= hi; e++) {
        g += `<line x1="${L}" x2="${W - R}" y1="${Y(10 ** e)}" y2="${Y(10 ** e)}" stroke="#eee"/>` +
          `<text x="${L - 4}" y="${Y(10 ** e) + 4}" font-size="11" text-anchor="end" fill="#888">1e${e}</text>`;
      }
      for (let i = 0; i <= 4; i++) {
        const k = Math.round(d.steps * i / 4);
        g += `<text x="${X(k)}" y="${H - 10}" font-size="11" text-anchor="${["start", "middle", "middle", "middle", "end"][i]}" ` +
          `fill="#888">k=${k}</text>`;
      }
      d.curves.forEach((c, i) => {
        const pts = c.norms.map((v, k) => v != null && v > 0 ? X(k).toFixed(1) + "," + Y(v).toFixed(1) : null).filter(p => p);
        g += `<polyline class="gradLine" fill="none" stroke="${palette[i % palette.length]}" stroke-width="2" points="${pts.join(" ")}"/>`;
      });
      svg.innerHTML = g; svg.dataset.curves = String(d.curves.length);
      $("gradBox").style.display = "block";
      const at = (c, k) => k < c.norms.length && c.norms[k] != null ? c.norms[k].toExponential(2) : "—";
      $("gradLegend").innerHTML = d.curves.map((c, i) => `<i style="background:${palette[i % palette.length]}"></i>` +
        `${esc(c.model)} (${esc(c.cell.toUpperCase())}): k=1 ${at(c, 1)}, k=10 ${at(c, 10)}, k=${d.steps} ${at(c, d.steps)}`).join("") +
        `<br>averaged over ${d.curves[0] ? d.curves[0].samples : 0} steps t of ${esc(d.label)}`;
    }

    $("gGo").onclick = async () => {
      show("sErr");
      const body = { count: Number($("gCount").value), temperature: Number($("gTemp").value), prime: $("gPrime").value };
      if ($("gLabel").value) body.label = $("gLabel").value;
      if ($("gLen").value) body.length = Number($("gLen").value);
      if ($("gSeed").value !== "") body.seed = Number($("gSeed").value);
      try {
        const d = await api("POST", modelPath("sample"), body);
        $("gOut").innerHTML = d.words.map(w => `<tr><td><b>${esc(w.label)}</b></td><td style="font-family:ui-monospace,monospace">` +
          w.words.map(x => `<span class="word">${x ? esc(x) : "<i>(empty)</i>"}</span>`).join(" &nbsp; ") + `</td></tr>`).join("");
        $("gOut").dataset.done = String(d.words.length);
      } catch (e) { show("sErr", e); }
    };
    $("trGo").onclick = async () => {
      show("sErr");
      try {
        const d = await api("POST", modelPath("translate"), { text: $("tText").value, beam: Number($("tBeam").value) });
        $("trOut").textContent = `${JSON.stringify(d.text)} → ${JSON.stringify(d.translation)}` +
          (d.log_probability != null ? `   (log p ${d.log_probability.toFixed(3)})` : "");
        $("trOut").dataset.done = "1";
      } catch (e) { show("sErr", e); }
    };
    $("qGo").onclick = async () => {
      show("sErr");
      try {
        const d = await api("POST", modelPath("tag"), { text: $("qText").value });
        const box = $("tagged"); box.innerHTML = "";
        Array.from(d.text).forEach((ch, i) => {
          const span = document.createElement("span"), p = d.tagged[i] || 0, tag = d.tags[d.best[i]];
          span.textContent = ch;
          span.style.background = `rgba(191,135,0,${Math.max(0, Math.min(1, p)).toFixed(3)})`;
          if (d.best[i] !== 0) { span.className = "hit"; span.style.borderBottom = "2px solid #8a5a00"; }
          span.title = `tag ${JSON.stringify(tag)}, p(not background) ${p.toFixed(3)}`;
          span.onmouseenter = () => $("qHover").textContent = `${JSON.stringify(ch)}: tag ${JSON.stringify(tag)}, p ${p.toFixed(3)}`;
          box.appendChild(span);
        });
        box.dataset.done = "1";
      } catch (e) { show("sErr", e); }
    };
    $("kGo").onclick = async () => {
      show("sErr");
      try {
        const d = await api("POST", modelPath("classify"), { text: $("kText").value });
        $("kOut").innerHTML = `<tr><td colspan=2>${esc(JSON.stringify(d.text))}: <b>${esc(d.label)}</b></td></tr>` +
          d.probabilities.map(p => `<tr><td>${esc(p.label)}</td><td><span class="bar" style="width:${Math.round((p.p || 0) * 300)}px">` +
          `</span> ${((p.p || 0) * 100).toFixed(1)}%</td></tr>`).join("");
        $("kOut").dataset.done = "1";
      } catch (e) { show("sErr", e); }
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
