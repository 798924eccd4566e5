// The browser test of `serve` (README, "Live view in the browser"): starts `rnn serve` on a small
// session, opens the page in headless Chromium, drives it over the DevTools protocol (Node's own
// WebSocket; no npm packages), and checks what a person would see:
//   1. a training started from the session side (statements written to the REPL's standard input)
//      reaches the page: the chart gets new training points and validation points;
//   2. clicking Sample streams text into the page, the same text the API gives for that seed;
//   3. the text view colours every character by one cell's activation; "Find interpretable cells"
//      lists units, and clicking one re-colours the text by that unit;
//   4. the gate-saturation and gradient-flow charts draw (a dot per unit, a curve per model);
//   5. a generator and a classifier appear beside the language models, each with its own action.
// Usage: node --experimental-websocket scripts/browser-test.mjs RNN_BINARY [--screenshots DIR]
// Exit status 0 on success, 1 on a failed check, 77 when Chromium is not installed (skip).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const rnn = resolve(process.argv[2] || ".build/release/rnn");
const shotsAt = process.argv.indexOf("--screenshots");
const shots = shotsAt > 0 ? resolve(process.argv[shotsAt + 1]) : null;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const chromium = ["chromium", "chromium-browser", "google-chrome"].find(c => {
  try { execFileSync("which", [c], { stdio: "ignore" }); return true; } catch { return false; }
});
if (!chromium) { console.log("SKIP: Chromium is not installed (bash scripts/setup.sh --browser installs it)"); process.exit(77); }
if (typeof WebSocket === "undefined") { console.log("SKIP: this Node has no WebSocket (run it with --experimental-websocket)"); process.exit(77); }

const sleep = ms => new Promise(r => setTimeout(r, ms));
const fail = message => { console.log("FAIL: " + message); cleanup(); process.exit(1); };
const work = mkdtempSync(join(tmpdir(), "rnn-browser-"));
mkdirSync(join(work, "corpora")); mkdirSync(join(work, "checkpoints"));
copyFileSync(join(root, "corpora/shakespeare-tragedies.txt"), join(work, "corpora/s.txt"));
copyFileSync(join(root, "corpora/sentiment-tiny.tsv"), join(work, "corpora/reviews.tsv"));
copyFileSync(join(root, "corpora/words-by-language.tsv"), join(work, "corpora/words.tsv"));
let server, browser;
function cleanup() {
  try { server && server.kill("SIGKILL"); } catch {}
  try { browser && browser.kill("SIGKILL"); } catch {}
  try { rmSync(work, { recursive: true, force: true }); } catch {}
}
setTimeout(() => fail("timed out after 400 s"), 400_000).unref();

// 1. The session: `rnn serve` with its REPL reading our pipe.
server = spawn(rnn, ["serve", "--port", "0", "--color", "never"], { cwd: work, stdio: ["pipe", "pipe", "pipe"] });
let serverOut = "";
server.stdout.on("data", d => { serverOut += d; });
server.stderr.on("data", d => { serverOut += d; });
const repl = line => server.stdin.write(line + "\n");
repl('c = corpus "corpora/s.txt" split 0.95');
repl("m = lstm c hidden 64 layers 1 embed 16 seed 1");
repl("r = rnn c hidden 64 layers 1 embed 16 seed 1");
repl('k = classifier "corpora/reviews.tsv" hidden 32 seed 1');
repl("fit k epochs 4");
repl('g = generator "corpora/words.tsv" hidden 64 seed 1');
repl("fit g steps 300 batch 32");
let url = null;
for (let i = 0; i < 200 && !url; i++) { await sleep(100); url = (serverOut.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/) || [])[0]; }
if (!url) fail("rnn serve printed no address:\n" + serverOut);
const base = url.split("/?")[0], token = url.split("token=")[1];
for (let i = 0; i < 100; i++) {
  const models = await (await fetch(base + "/api/models")).json();
  if (models.length) break;
  await sleep(100);
}

// 2. The browser, on the page.
const profile = join(work, "profile");
browser = spawn(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
  "--remote-debugging-port=0", "--window-size=1280,900", "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
let devtools = null, browserErr = "";
browser.stderr.on("data", d => { browserErr += d; const m = String(browserErr).match(/ws:\/\/[^\s]+/); if (m) devtools = m[0]; });
for (let i = 0; i < 300 && !devtools; i++) await sleep(100);
if (!devtools) fail("Chromium did not start:\n" + browserErr);
const port = new URL(devtools).port;
const pages = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = pages.find(p => p.type === "page");
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((ok, bad) => { ws.onopen = ok; ws.onerror = bad; });
let nextId = 0; const waiting = new Map();
ws.onmessage = e => { const m = JSON.parse(e.data); if (m.id && waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); } };
const cdp = (method, params = {}) => new Promise(ok => { const id = ++nextId; waiting.set(id, ok); ws.send(JSON.stringify({ id, method, params })); });
const js = async expression => {
  const r = await cdp("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.result.exceptionDetails) fail("page error: " + JSON.stringify(r.result.exceptionDetails).slice(0, 400));
  return r.result.result.value;
};
const until = async (expression, what, seconds = 60) => {
  for (let i = 0; i < seconds * 10; i++) { if (await js(expression)) return; await sleep(100); }
  fail("the page never showed " + what);
};
const screenshot = async name => {
  if (!shots) return;
  const r = await cdp("Page.captureScreenshot", { format: "png" });
  writeFileSync(join(shots, name), Buffer.from(r.result.data, "base64"));
  console.log("screenshot " + join(shots, name));
};
await cdp("Page.enable"); await cdp("Runtime.enable");
await cdp("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
await cdp("Page.navigate", { url });
await until(`document.readyState === "complete" && window.rnnState && rnnState.models.length === 4 &&
  document.querySelectorAll("#models .model").length === 4`, "the model list with every kind", 120);
const kinds = await js(`Array.from(document.querySelectorAll("#models .model")).map(d => d.dataset.kind).join(",")`);
if (kinds !== "language_model,language_model,classifier,generator") fail("the model list shows kinds " + kinds);
console.log("ok: the model list shows a language model, an RNN, a classifier and a generator");
await until(`document.getElementById("status").textContent === "connected" || document.getElementById("status").textContent === "idle"`,
  "a connected event stream");

// Training from the session side: the chart must receive points.
repl("train m steps 240 batch 16 seq 64 eval_every 40");
await until(`(rnnState.received || 0) >= 3`, "progress events from a training started in the REPL");
await until(`document.querySelectorAll("#chart circle.valPoint").length >= 2`, "validation points in the chart", 120);
// The chart redraws for progress at most every 200 ms (a validation point redraws at once), so
// wait for the drawing rather than read it once.
await until(`Number(document.getElementById("chart").dataset.points) >= 3`, "three training points in the chart");
const points = await js(`Number(document.getElementById("chart").dataset.points)`);
await until(`rnnState.running === null && document.getElementById("status").textContent === "idle"`, "the end of training", 180);
await js(`drawChart()`);
console.log(`ok: the chart received ${points}+ training points and validation points from the REPL's training`);
await screenshot("serve-training.png");

// Sampling: click, read the streamed text, compare with the API for the same seed.
await js(`document.querySelector('[data-view=sample]').click(); document.getElementById("sPrime").value = "ROMEO:";
  document.getElementById("sSeed").value = "5"; document.getElementById("sLen").value = "200";
  document.getElementById("sTemp").value = "0.8"; document.getElementById("sGo").click(); true`);
await until(`document.getElementById("sampleOut").dataset.done === "1"`, "a finished sample");
const sampled = await js(`document.getElementById("sampleOut").textContent`);
const viaAPI = await (await fetch(base + "/api/models/m/sample", { method: "POST",
  body: JSON.stringify({ prime: "ROMEO:", seed: 5, length: 200, temperature: 0.8 }) })).json();
if (!sampled.startsWith("ROMEO:") || sampled.length < 150) fail("the sample panel shows " + JSON.stringify(sampled));
if (sampled !== viaAPI.text) fail("the streamed sample differs from the API's for the same seed");
console.log(`ok: Sample streamed ${sampled.length} characters, the API's text for seed 5`);
await screenshot("serve-sample.png");

// The text view: every character coloured.
await js(`document.querySelector('[data-view=text]').click(); document.getElementById("xGate").value = "c";
  document.getElementById("xUnit").value = "7"; document.getElementById("xGo").click(); true`);
await until(`document.querySelectorAll("#coloured span").length === Array.from(document.getElementById("xText").value).length`,
  "a coloured character for each character of the text");
const colours = await js(`new Set(Array.from(document.querySelectorAll("#coloured span")).map(s => s.style.background)).size`);
if (!(colours >= 5)) fail("the text view has only " + colours + " distinct colours");
console.log(`ok: the text view coloured every character (${colours} distinct shades)`);
await js(`document.querySelector("#coloured span:nth-child(12)").dispatchEvent(new MouseEvent("mouseenter")); true`);

// cells: list the units that follow quotes; clicking one (not the unit shown) re-colours the text by it.
const colouring = `Array.from(document.querySelectorAll("#coloured span")).map(s => s.style.background).join("|")`;
const before = await js(colouring);
await js(`document.getElementById("xProp").value = "quotes"; document.getElementById("xCells").click(); true`);
await until(`document.querySelectorAll("#cellsTable tr").length >= 3`, "the ranked units of cells");
const pick = await js(`(() => { const rows = Array.from(document.querySelectorAll("#cellsTable tr"));
  const row = rows.find(r => !(r.dataset.unit === "7" && r.dataset.series === "c")); row.click();
  return row.dataset.layer + "/" + row.dataset.unit + "/" + row.dataset.series; })()`);
const [pl, pu, ps] = pick.split("/");
await until(`document.getElementById("xUnit").value === "${pu}" && document.getElementById("hover").textContent.includes("unit ${pu}")`,
  "the clicked unit in the text view");
await until(`(${colouring}) !== ${JSON.stringify(before)}`, "the text re-coloured by the clicked unit");
if (!(await js(`document.getElementById("xGate").value === "${ps}" && document.getElementById("xLayer").value === "${pl}"`)))
  fail("the clicked unit's layer and series were not selected");
console.log(`ok: cells listed units for quotes; clicking layer ${pl} unit ${pu} (${ps}) re-coloured the text`);
await screenshot("serve-text.png");

// The lecture's charts, on the model's validation split (an empty text): saturation (one dot per
// unit and gate) and gradient flow for every language model (the LSTM and the vanilla RNN).
const savedText = await js(`document.getElementById("xText").value`);
await js(`document.getElementById("xText").value = ""; document.getElementById("xSat").click(); true`);
await until(`Number(document.getElementById("satChart").dataset.dots || 0) === 4 * 64`, "a saturation dot for each unit of each gate");
await js(`document.getElementById("xSteps").value = "40"; document.getElementById("xCompare").value = "all";
  document.getElementById("xGrad").click(); true`);
await until(`document.getElementById("gradChart").dataset.curves === "2" &&
  document.querySelectorAll("#gradChart polyline.gradLine").length === 2 &&
  document.querySelector("#gradChart polyline.gradLine").getAttribute("points").split(" ").length === 41 &&
  Array.from(document.querySelectorAll("#gradChart polyline.gradLine")).every(p => p.getAttribute("points").split(" ").length >= 2)`,
  "two gradient-flow curves (the LSTM's with a point for each k = 0…40)", 120);
console.log("ok: the saturation chart drew 256 unit dots and the gradient-flow chart a curve for each of the 2 models");
await js(`document.getElementById("cellsBox").style.display = "none"; document.getElementById("satBox").scrollIntoView(); true`);
await screenshot("serve-charts.png");
await js(`document.getElementById("xText").value = ${JSON.stringify(savedText)}; document.getElementById("cellsBox").style.display = "block";
  window.scrollTo(0, 0); true`);

// Another kind: the generator's words for a label, then the classifier's labels.
await js(`Array.from(document.querySelectorAll("#models .model")).find(d => d.dataset.kind === "generator").click(); true`);
await until(`document.getElementById("navAct").textContent === "Sample words"`, "the generator's action in the tab");
await js(`document.getElementById("navAct").click(); document.getElementById("gLabel").value = "german";
  document.getElementById("gSeed").value = "3"; document.getElementById("gGo").click(); true`);
await until(`document.getElementById("gOut").dataset.done === "1"`, "the generator's words");
const words = await js(`document.querySelectorAll("#gOut tr td:last-child span.word").length`);
const label = await js(`document.querySelector("#gOut tr td b").textContent`);
if (label !== "german" || words !== 5) fail(`the generator panel shows ${words} words for ${label}`);
console.log("ok: the generator drew 5 words for the label german from the page");
await screenshot("serve-generator.png");
await js(`Array.from(document.querySelectorAll("#models .model")).find(d => d.dataset.kind === "classifier").click(); true`);
await until(`document.getElementById("navAct").textContent === "Classify" && document.getElementById("panel-classifier").classList.contains("on")`,
  "the classifier's action");
await js(`document.getElementById("kGo").click(); true`);
await until(`document.getElementById("kOut").dataset.done === "1"`, "the classifier's answer");
const labels = await js(`document.querySelectorAll("#kOut .bar").length`);
if (labels !== 2) fail("the classifier panel shows " + labels + " labels");
console.log("ok: the classifier gave both labels' probabilities");
await js(`Array.from(document.querySelectorAll("#models .model")).find(d => d.dataset.kind === "language_model").click(); true`);

// Checkpoints: save from the page (it carries the token from its address), then list.
await js(`document.querySelector('[data-view=ckpt]').click(); document.getElementById("cSave").click(); true`);
await until(`document.querySelectorAll("#ckpts button").length >= 1`, "the saved checkpoint in the list");
console.log("ok: saved a checkpoint from the page and listed it");
await screenshot("serve-checkpoints.png");
ws.close();
repl("quit"); repl("quit");
cleanup();
console.log("PASS");
process.exit(0);
