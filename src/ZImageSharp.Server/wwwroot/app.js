// ZImageSharp web UI: plain JavaScript, no build step. Talks to the job API (POST /api/v1/generations, then the
// job's Server-Sent Events read with fetch so an API key can travel in the Authorization header).
"use strict";

const I18N = {
  en: {
    "status.connecting": "Connecting…", "status.ready": "Ready", "status.loading": "Loading model…",
    "status.warmingup": "Warming up…", "status.failed": "Model failed to load", "status.stopping": "Shutting down",
    "status.offline": "Server unreachable",
    "demo.title": "Demo model.",
    "demo.body": "This server runs the built-in demo model: the real Z-Image architecture at toy size with random weights. Its images are abstract patterns, not your prompt. Start the server with --model DIR for real images.",
    "prompt": "Prompt", "prompt.placeholder": "A red fox in fresh snow, golden hour, detailed fur",
    "negative": "Negative prompt", "negative.placeholder": "What to avoid (used when guidance > 0)",
    "size": "Size", "steps": "Steps", "guidance": "Guidance", "seed": "Seed", "seed.random": "Random", "seed.fixed": "Fixed",
    "count": "Count", "apikey": "API key", "apikey.placeholder": "Bearer token for this server",
    "generate": "Generate", "cancel": "Cancel", "copy.curl": "Copy as curl", "copied": "Copied to the clipboard",
    "gallery": "Gallery", "gallery.empty": "Your images appear here.", "gallery.count": "{n} images",
    "download": "Download", "reuse": "Reuse seed", "curl": "curl",
    "stage.queued": "Queued (position {n})", "stage.started": "Starting", "stage.encoding_prompt": "Encoding the prompt",
    "stage.preparing_latents": "Preparing latents", "stage.denoising": "Denoising: step {i} of {n}",
    "stage.decoding": "Decoding", "stage.done": "Finishing",
    "done": "Done in {s} s", "cancelled": "Cancelled", "failed": "Failed: {e}",
    "queue.full": "The queue is full; try again in {s} s.", "error.network": "The server could not be reached.",
    "steps.short": "{n} steps", "seed.short": "seed {n}", "guidance.short": "CFG {n}", "seconds.short": "{s} s",
    "model.demo": "built-in demo model (random weights)",
  },
  zh: {
    "status.connecting": "连接中…", "status.ready": "就绪", "status.loading": "正在加载模型…",
    "status.warmingup": "正在预热…", "status.failed": "模型加载失败", "status.stopping": "正在关闭",
    "status.offline": "无法连接服务器",
    "demo.title": "演示模型。",
    "demo.body": "此服务器运行内置演示模型：真实的 Z-Image 架构，玩具尺寸，随机权重。生成的是抽象图案，与提示词无关。使用 --model DIR 启动服务器即可生成真实图像。",
    "prompt": "提示词", "prompt.placeholder": "雪地里的一只红狐狸，黄金时刻，毛发细节丰富",
    "negative": "反向提示词", "negative.placeholder": "需要避免的内容（引导系数 > 0 时生效）",
    "size": "尺寸", "steps": "步数", "guidance": "引导系数", "seed": "种子", "seed.random": "随机", "seed.fixed": "固定",
    "count": "数量", "apikey": "API 密钥", "apikey.placeholder": "此服务器的 Bearer 令牌",
    "generate": "生成", "cancel": "取消", "copy.curl": "复制为 curl", "copied": "已复制到剪贴板",
    "gallery": "图库", "gallery.empty": "生成的图像将显示在这里。", "gallery.count": "{n} 张图像",
    "download": "下载", "reuse": "复用种子", "curl": "curl",
    "stage.queued": "排队中（第 {n} 位）", "stage.started": "开始", "stage.encoding_prompt": "正在编码提示词",
    "stage.preparing_latents": "正在准备潜变量", "stage.denoising": "去噪：第 {i} / {n} 步",
    "stage.decoding": "正在解码", "stage.done": "即将完成",
    "done": "完成，用时 {s} 秒", "cancelled": "已取消", "failed": "失败：{e}",
    "queue.full": "队列已满，请 {s} 秒后重试。", "error.network": "无法连接服务器。",
    "steps.short": "{n} 步", "seed.short": "种子 {n}", "guidance.short": "CFG {n}", "seconds.short": "{s} 秒",
    "model.demo": "内置演示模型（随机权重）",
  },
};

const PRESETS = [[1024, 1024], [768, 1344], [1344, 768], [512, 512]];
const $ = (id) => document.getElementById(id);
const state = { lang: "en", info: null, size: [1024, 1024], job: null, abort: null, images: [] };

function t(key, vars) {
  let text = (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replace(`{${k}}`, v);
  return text;
}

function setLanguage(lang) {
  state.lang = I18N[lang] ? lang : "en";
  localStorage.setItem("zimage.lang", state.lang);
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const button of document.querySelectorAll(".lang button")) button.setAttribute("aria-pressed", String(button.dataset.lang === state.lang));
  renderModel();
  renderStatus();
  renderGallery();
}

// The demo model's name is the UI's own words (translated); a real model is named by the server.
function renderModel() {
  const info = state.info;
  if (!info) return;
  const name = info.demo ? t("model.demo") : info.model;
  $("model-name").textContent = `${name} · ${info.device}`;
  $("model-name").title = info.model;
}

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const key = $("api-key").value.trim();
  if (key) h["Authorization"] = `Bearer ${key}`;
  return h;
}

async function loadInfo() {
  try {
    const response = await fetch("/api/v1/info");
    state.info = await response.json();
  } catch {
    state.info = null;
  }
  if (state.info) {
    const info = state.info;
    $("demo-notice").hidden = !info.demo;
    $("api-key-field").hidden = !info.auth_required;
    $("steps").max = info.limits.max_steps;
    $("count").max = info.limits.max_count;
    $("guidance").max = info.limits.max_guidance_scale;
    $("steps").value = info.defaults.steps;
    $("steps-value").textContent = info.defaults.steps;
    state.size = [info.defaults.width, info.defaults.height];
  }
  renderModel();
  renderPresets();
  renderStatus();
}

function renderPresets() {
  const presets = PRESETS.slice();
  // The demo model's default (256²) is offered too: it makes an image in well under a second.
  const info = state.info;
  if (info && !presets.some(([w, h]) => w === info.defaults.width && h === info.defaults.height)) {
    presets.push([info.defaults.width, info.defaults.height]);
  }
  const box = $("presets");
  box.replaceChildren();
  for (const [w, h] of presets) {
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("role", "radio");
    button.dataset.size = `${w}x${h}`;
    button.textContent = w === h ? `${w}²` : `${w}×${h}`;
    button.setAttribute("aria-checked", String(state.size[0] === w && state.size[1] === h));
    button.addEventListener("click", () => { state.size = [w, h]; renderPresets(); });
    box.append(button);
  }
}

function renderStatus() {
  const el = $("server-status");
  const status = state.info ? state.info.status : "offline";
  el.dataset.state = status;
  $("server-status-text").textContent = t(`status.${status.replace(/[^a-z]/g, "")}`);
}

async function pollStatus() {
  try {
    const response = await fetch("/api/v1/health/ready");
    const body = await response.json();
    if (state.info) state.info.status = body.status;
  } catch {
    if (state.info) state.info.status = "offline";
  }
  renderStatus();
  setTimeout(pollStatus, state.info && state.info.status === "ready" ? 15000 : 2000);
}

function requestBody() {
  const body = {
    prompt: $("prompt").value,
    width: state.size[0],
    height: state.size[1],
    steps: Number($("steps").value),
    guidance_scale: Number($("guidance").value),
    count: Number($("count").value),
  };
  const negative = $("negative").value.trim();
  if (negative) body.negative_prompt = negative;
  if ($("seed-mode").value === "fixed") body.seed = Number($("seed").value);
  return body;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function setProgress(fraction, text) {
  $("progress").hidden = false;
  $("progress-fill").style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
  $("progress-text").textContent = text;
}

function setBusy(busy) {
  $("generate").disabled = busy;
  $("cancel").hidden = !busy;
}

async function generate(event) {
  event.preventDefault();
  showError("");
  setBusy(true);
  setProgress(0, t("stage.started"));
  let response;
  try {
    response = await fetch("/api/v1/generations", { method: "POST", headers: headers(true), body: JSON.stringify(requestBody()) });
  } catch {
    setBusy(false);
    showError(t("error.network"));
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 429) {
    setBusy(false);
    $("progress").hidden = true;
    showError(t("queue.full", { s: response.headers.get("Retry-After") || "?" }));
    return;
  }
  if (!response.ok) {
    setBusy(false);
    $("progress").hidden = true;
    showError(body.detail || `HTTP ${response.status}`);
    return;
  }
  state.job = body.id;
  setProgress(0, t("stage.queued", { n: body.queue_position || 1 }));
  try {
    await followEvents(body.id);
  } finally {
    state.job = null;
    state.abort = null;
    setBusy(false);
  }
}

// Reads text/event-stream with fetch (EventSource cannot send an Authorization header).
async function followEvents(id) {
  const controller = new AbortController();
  state.abort = controller;
  let response;
  try {
    response = await fetch(`/api/v1/generations/${id}/events`, { headers: headers(false), signal: controller.signal });
  } catch {
    showError(t("error.network"));
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) type = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data && handleEvent(type, JSON.parse(data))) {
        controller.abort();
        return;
      }
    }
  }
}

// Returns true on the final event.
function handleEvent(type, data) {
  switch (type) {
    case "queued":
      setProgress(0, t("stage.queued", { n: data.queue_position }));
      return false;
    case "started":
      setProgress(0.01, t("stage.started"));
      return false;
    case "stage":
    case "step":
      setProgress(data.fraction, data.stage === "denoising"
        ? t("stage.denoising", { i: data.step, n: data.total_steps })
        : t(`stage.${data.stage}`));
      return false;
    case "done":
      setProgress(1, t("done", { s: ((data.timings.total_ms || 0) / 1000).toFixed(1) }));
      addImages(data);
      return true;
    case "cancelled":
      setProgress(0, t("cancelled"));
      return true;
    case "failed":
      $("progress").hidden = true;
      showError(t("failed", { e: data.error }));
      return true;
    default:
      return false;
  }
}

function addImages(job) {
  for (const image of job.images) {
    state.images.unshift({ ...image, request: job.request, totalMs: job.timings.total_ms || 0 });
  }
  renderGallery();
}

function renderGallery() {
  const gallery = $("gallery");
  gallery.replaceChildren();
  $("gallery-empty").hidden = state.images.length > 0;
  $("gallery-count").textContent = state.images.length ? t("gallery.count", { n: state.images.length }) : "";
  for (const image of state.images) {
    const card = document.createElement("article");
    card.className = "card";
    const frame = document.createElement("div");
    frame.className = "frame";
    const img = document.createElement("img");
    img.src = image.url;
    img.alt = image.request.prompt;
    img.width = image.width;
    img.height = image.height;
    img.loading = "lazy";
    frame.append(img);

    const meta = document.createElement("div");
    meta.className = "meta";
    const prompt = document.createElement("div");
    prompt.className = "prompt-text";
    prompt.textContent = image.request.prompt;
    prompt.title = image.request.prompt;
    const params = document.createElement("div");
    params.className = "params";
    const r = image.request;
    for (const text of [`${image.width}×${image.height}`, t("steps.short", { n: r.steps }), t("guidance.short", { n: r.guidance_scale }), t("seed.short", { n: image.seed }), t("seconds.short", { s: (image.totalMs / 1000).toFixed(1) })]) {
      const span = document.createElement("span");
      span.textContent = text;
      params.append(span);
    }
    const buttons = document.createElement("div");
    buttons.className = "buttons";
    const download = document.createElement("a");
    download.href = `${image.url}?download=1`;
    download.download = `zimage-${image.seed}-${image.index + 1}.png`;
    download.textContent = t("download");
    const reuse = document.createElement("button");
    reuse.type = "button";
    reuse.textContent = t("reuse");
    reuse.addEventListener("click", () => {
      $("seed-mode").value = "fixed";
      $("seed").disabled = false;
      $("seed").value = image.seed;
      $("prompt").value = r.prompt;
    });
    const curl = document.createElement("button");
    curl.type = "button";
    curl.textContent = t("curl");
    curl.addEventListener("click", () => copy(curlFor({ ...r, count: 1, seed: image.seed })));
    buttons.append(download, reuse, curl);
    meta.append(prompt, params, buttons);
    card.append(frame, meta);
    gallery.append(card);
  }
}

// The OpenAI-compatible call for the same parameters, decoding the PNG to a file.
function curlFor(body) {
  const request = { prompt: body.prompt, n: body.count, size: `${body.width}x${body.height}`, response_format: "b64_json", steps: body.steps, guidance_scale: body.guidance_scale };
  if (body.negative_prompt) request.negative_prompt = body.negative_prompt;
  if (body.seed !== undefined) request.seed = body.seed;
  const json = JSON.stringify(request).replace(/'/g, "'\\''");
  const auth = state.info && state.info.auth_required ? " \\\n  -H \"Authorization: Bearer $ZIMAGE_API_KEY\"" : "";
  return `curl -s ${location.origin}/v1/images/generations \\\n  -H "Content-Type: application/json"${auth} \\\n  -d '${json}' \\\n  | python3 -c 'import base64,json,sys; open("zimage.png","wb").write(base64.b64decode(json.load(sys.stdin)["data"][0]["b64_json"]))'`;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(t("copied"));
}

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 1800);
}

async function cancel() {
  if (!state.job) return;
  await fetch(`/api/v1/generations/${state.job}`, { method: "DELETE", headers: headers(false) }).catch(() => {});
}

function init() {
  const saved = localStorage.getItem("zimage.lang");
  state.lang = saved || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  $("api-key").value = localStorage.getItem("zimage.apikey") || "";
  $("api-key").addEventListener("change", () => localStorage.setItem("zimage.apikey", $("api-key").value.trim()));
  for (const button of document.querySelectorAll(".lang button")) button.addEventListener("click", () => setLanguage(button.dataset.lang));
  $("steps").addEventListener("input", () => { $("steps-value").textContent = $("steps").value; });
  $("seed-mode").addEventListener("change", () => { $("seed").disabled = $("seed-mode").value !== "fixed"; });
  $("form").addEventListener("submit", generate);
  $("cancel").addEventListener("click", cancel);
  $("copy-curl").addEventListener("click", () => copy(curlFor(requestBody())));
  setLanguage(state.lang);
  loadInfo().then(pollStatus);
}

init();
