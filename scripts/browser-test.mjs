// The browser test of `serve` (README, "Live view in the browser"): starts `rnn serve` on a small
// session, opens the page in headless Chromium, drives it over the DevTools protocol (Node's own
// WebSocket; no npm packages), and checks what a person would see:
//   1. a training started from the session side (statements written to the REPL's standard input)
//      reaches the page: the chart gets new training points and validation points;
//   2. clicking Sample streams text into the page, the same text the API gives for that seed;
//   3. the text view colours every character by one cell's activation.
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
let server, browser;
function cleanup() {
  try { server && server.kill("SIGKILL"); } catch {}
  try { browser && browser.kill("SIGKILL"); } catch {}
  try { rmSync(work, { recursive: true, force: true }); } catch {}
}
setTimeout(() => fail("timed out after 240 s"), 240_000).unref();

// 1. The session: `rnn serve` with its REPL reading our pipe.
server = spawn(rnn, ["serve", "--port", "0", "--color", "never"], { cwd: work, stdio: ["pipe", "pipe", "pipe"] });
let serverOut = "";
server.stdout.on("data", d => { serverOut += d; });
server.stderr.on("data", d => { serverOut += d; });
const repl = line => server.stdin.write(line + "\n");
repl('c = corpus "corpora/s.txt" split 0.95');
repl("m = lstm c hidden 64 layers 1 embed 16 seed 1");
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
await until(`document.readyState === "complete" && window.rnnState && rnnState.models.length === 1`, "the model list");
await until(`document.getElementById("status").textContent === "connected" || document.getElementById("status").textContent === "idle"`,
  "a connected event stream");

// Training from the session side: the chart must receive points.
repl("train m steps 240 batch 16 seq 64 eval_every 40");
await until(`(rnnState.received || 0) >= 3`, "progress events from a training started in the REPL");
await until(`document.querySelectorAll("#chart circle.valPoint").length >= 2`, "validation points in the chart", 120);
const points = await js(`Number(document.getElementById("chart").dataset.points)`);
if (!(points >= 3)) fail("the chart has " + points + " training points");
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
await screenshot("serve-text.png");

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
